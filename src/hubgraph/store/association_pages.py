"""Pages of records' associations as plain rows, one statement on a pooled driver connection.

The read behind v4 ``GET …/associations/{toType}`` and ``batch/read``: for each from-record
that is live, its rows to live records of the other type above its cursor, for at most
``size`` distinct targets, with each USER_DEFINED (or INTEGRATOR_DEFINED) type's label
joined in. One statement, so no transaction is opened around it (the pool rolls the
connection back when it returns), and no SQLAlchemy statement is built, keyed or wrapped
per call: those were most of a page's CPU (docs/performance.md, round 3).

Rows come back as tuples ``(from_id, to_id, category code, type_id, label)`` sorted by
``from_id, to_id, category, type_id``; ``label`` is None for HubSpot-defined rows (their
labels are reference data, ``hubgraph.domain``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

import orjson
from sqlalchemy import Engine

from hubgraph.domain.association_types import Category
from hubgraph.store import driver
from hubgraph.store.arrays import array_literal
from hubgraph.store.associations import CATEGORY_CODES

if TYPE_CHECKING:
    # psycopg's async pool: PostgreSQL only (a SQLite worker never loads libpq)
    from hubgraph.store.loop_reads import LoopReadPool

PageRow = tuple[int, int, int, int, str | None]

_HUBSPOT = CATEGORY_CODES[Category.HUBSPOT_DEFINED]

# The ranked rows of the from-records in ``u`` (from_id, the cursor ``above``): only live
# from-records, only targets that are not archived, at most ``size`` targets each.
_RANKED = """{first}
SELECT r.from_id, r.to_id, r.category, r.type_id, t.label
FROM (
    SELECT a.from_id, a.to_id, a.category, a.type_id,
           dense_rank() OVER (PARTITION BY a.from_id ORDER BY a.to_id) AS nth
    FROM {live}
    JOIN associations a
      ON a.portal_id = :portal_id AND a.from_type = :from_type AND a.from_id = u.from_id
     AND a.to_type = :to_type AND a.to_id > u.above
    WHERE a.to_id NOT IN (
        SELECT o.id FROM objects o {archived_index}
        WHERE o.portal_id = :portal_id AND o.object_type_id = :to_type
          AND o.archived_at IS NOT NULL
    )
) r
LEFT JOIN association_types t
  ON r.category <> :hubspot AND t.portal_id = :portal_id
 AND t.category = r.category AND t.type_id = r.type_id
WHERE r.nth <= :size
"""
_LIVE = """{source}
    JOIN objects f
      ON f.portal_id = :portal_id AND f.object_type_id = :from_type
     AND f.id = u.from_id AND f.archived_at IS NULL"""
# PostgreSQL cannot estimate the ids' array, and joined it to the rows before checking the
# records: each record was probed again for every row (13,000 probes, not 1,000; 49 -> 22
# ms at 12M stored). The live from-records are found first, once each; SQLite plans the
# join in that order, and a CTE made it scan every record of the type instead.
_LIVE_FIRST = "WITH c AS MATERIALIZED (SELECT u.from_id, u.above FROM {live})"


def _ranked(source: str, postgresql: bool) -> str:
    if not postgresql:
        return _RANKED.format(
            first="", live=_LIVE.format(source=source), archived_index=_SQLITE_ARCHIVED
        )
    sql = _RANKED.format(
        first=_LIVE_FIRST.format(live=_LIVE.format(source=source)),
        live="c AS u",
        archived_index="",
    )
    return driver.psycopg_style(sql)


_ONE = "(SELECT :from_id AS from_id, :after AS above) u"
_ONE_POSTGRESQL = "(SELECT CAST(:from_id AS BIGINT) AS from_id, CAST(:after AS BIGINT) AS above) u"
_MANY_SQLITE = (
    "(SELECT CAST(json_extract(value, '$[0]') AS INTEGER) AS from_id,"
    " CAST(json_extract(value, '$[1]') AS INTEGER) AS above FROM json_each(:cursors)) u"
)
# The literals are cast inside a subquery, so each is parsed once (store/objects.py).
_MANY_POSTGRESQL = (
    "(SELECT * FROM unnest((SELECT CAST(:ids AS BIGINT[])), (SELECT CAST(:afters AS BIGINT[])))"
    " AS v(from_id, above)) u"
)


# SQLite, without statistics, reads the archived targets through the primary key, every
# record of the type (a 20,000-company portal: 1.1 ms a page); the partial index holds
# only the archived ones (0.04 ms).
_SQLITE_ARCHIVED = "INDEXED BY objects_archived"

# Each dialect's statement, for one from-record or many.
_STATEMENTS = {
    many: {
        "sqlite": _ranked(_MANY_SQLITE if many else _ONE, postgresql=False),
        "postgresql": _ranked(_MANY_POSTGRESQL if many else _ONE_POSTGRESQL, postgresql=True),
    }
    for many in (False, True)
}

# PostgreSQL, many from-records (batch/read): each one's first ``size`` rows through its own
# range of the primary key, and the rest of the last target's types (WITH TIES), instead
# of ranking every row with a window and sorting them all for it: 1,000 inputs of 11 rows
# at 22M rows stored, 17 -> 12 ms (EXPLAIN ANALYZE), 20 -> 13.5 ms of server CPU. Exact when a
# from-record's rows run out before ``size`` or its first ``size`` rows are ``size``
# targets; a page cut short by targets of several types is read again ranked
# (``_cut_short``). A label is looked up only for the rows that have one: a join probed
# association_types once per row, or was planned as a filter over all of them.
_FIRST_ROWS = """{first}
SELECT r.from_id, r.to_id, r.category, r.type_id,
       CASE WHEN r.category <> :hubspot THEN (
           SELECT t.label FROM association_types t
           WHERE t.portal_id = :portal_id AND t.category = r.category AND t.type_id = r.type_id
       ) END
FROM c AS u
CROSS JOIN LATERAL (
    SELECT a.from_id, a.to_id, a.category, a.type_id
    FROM associations a
    WHERE a.portal_id = :portal_id AND a.from_type = :from_type AND a.from_id = u.from_id
      AND a.to_type = :to_type AND a.to_id > u.above
      AND a.to_id NOT IN (
        SELECT o.id FROM objects o
        WHERE o.portal_id = :portal_id AND o.object_type_id = :to_type
          AND o.archived_at IS NOT NULL
      )
    ORDER BY a.to_id
    FETCH FIRST (:size) ROWS WITH TIES
) r
"""
# The from-records that are not archived, by the few archived ones (a hashed list from the
# partial index ``objects_archived``) rather than a probe of the primary key for each of
# the 1,000 ids (4,000 buffer hits: 11.4 -> 8.2 ms of the statement at 10M stored). A
# record that does not exist has no rows: associations are written only between live
# records and removed with their type (``purge_schema``), which the targets' check
# (``NOT IN`` archived, no probe) relies on too.
_NOT_ARCHIVED_FIRST = """WITH c AS MATERIALIZED (
    SELECT u.from_id, u.above FROM {source}
    WHERE u.from_id NOT IN (
        SELECT o.id FROM objects o
        WHERE o.portal_id = :portal_id AND o.object_type_id = :from_type
          AND o.archived_at IS NOT NULL
    )
)"""
_FIRST_ROWS_POSTGRESQL = driver.psycopg_style(
    _FIRST_ROWS.format(first=_NOT_ARCHIVED_FIRST.format(source=_MANY_POSTGRESQL))
)


def page_rows(
    engine: Engine,
    portal_id: int,
    from_type: str,
    to_type: str,
    after_by_from: Mapping[int, int],
    size: int,
) -> list[PageRow]:
    """The rows of each live from-record's page (``after_by_from``: from_id → cursor, 0 for
    the first page), for at most ``size`` targets each: one statement (two when a page of
    the batch was cut short, see ``_FIRST_ROWS``)."""
    pipe = driver.run_when_sent(engine)
    dialect = engine.dialect.name
    return send_page_rows(pipe, dialect, portal_id, from_type, to_type, after_by_from, size)()


def send_page_rows(
    pipe: driver.StatementPipeline,
    dialect: str,
    portal_id: int,
    from_type: str,
    to_type: str,
    after_by_from: Mapping[int, int],
    size: int,
) -> Callable[[], list[PageRow]]:
    """``page_rows``, its statement sent on ``pipe`` now and its rows fetched when the
    result is called (a page cut short is read again then)."""
    if not after_by_from:
        return lambda: []
    pages = _Pages(dialect, portal_id, from_type, to_type, size)
    many = len(after_by_from) > 1
    if not (many and dialect == "postgresql"):
        return pages.send(pipe, _STATEMENTS[many], after_by_from)
    first = pages.send(pipe, {"postgresql": _FIRST_ROWS_POSTGRESQL}, after_by_from)

    def rows_of_every_page() -> list[PageRow]:
        rows = first()
        short = _cut_short(rows, size)
        if not short:
            return rows
        again = {from_id: after_by_from[from_id] for from_id in short}
        rows = [r for r in rows if r[0] not in again]
        rows += pages.send(pipe, _STATEMENTS[len(again) > 1], again)()
        rows.sort()
        return rows

    return rows_of_every_page


@dataclass(frozen=True, slots=True)
class _Pages:
    """Pages of one type pair's records: each statement's parameters."""

    dialect: str
    portal_id: int
    from_type: str
    to_type: str
    size: int

    def send(
        self,
        pipe: driver.StatementPipeline,
        by_dialect: Mapping[str, str],
        after_by_from: Mapping[int, int],
    ) -> Callable[[], list[PageRow]]:
        """The statement on ``pipe``; its rows, sorted, when the result is called."""
        # Binary: 10,000 rows (four integers and a label) load in 2.0 ms of CPU, not 3.1.
        pending = pipe.send(by_dialect, self.params(after_by_from), binary=True)
        return lambda: _sorted(pending())

    def params(self, after_by_from: Mapping[int, int]) -> dict[str, Any]:
        params: dict[str, Any] = {
            "portal_id": self.portal_id,
            "from_type": self.from_type,
            "to_type": self.to_type,
            "size": self.size,
            "hubspot": _HUBSPOT,
        }
        if len(after_by_from) == 1:
            ((params["from_id"], params["after"]),) = after_by_from.items()
        elif self.dialect == "postgresql":
            # in order, so the from-records are read (and their rows come back) in order
            ids = sorted(after_by_from)
            params["ids"] = array_literal(ids)
            params["afters"] = array_literal([after_by_from[i] for i in ids])
        else:
            params["cursors"] = orjson.dumps(list(after_by_from.items())).decode()
        return params


async def page_rows_on_loop(
    pool: LoopReadPool,
    portal_id: int,
    from_type: str,
    to_type: str,
    from_id: int,
    after: int,
    size: int,
) -> list[PageRow]:
    """One from-record's ``page_rows`` on PostgreSQL, awaited on the event loop
    (store/loop_reads.py)."""
    params = _Pages("postgresql", portal_id, from_type, to_type, size).params({from_id: after})
    return _sorted(await pool.fetch_all(_STATEMENTS[False]["postgresql"], params))


def _sorted(found: list[tuple[Any, ...]]) -> list[PageRow]:
    rows = cast(list[PageRow], found)
    # Sorted here, not by an ORDER BY: the rows come out of the window (or the ordered
    # from-records' index ranges) nearly in order, which Python's sort finishes in one
    # pass (0.4 ms for 10,000 rows) where PostgreSQL sorted them all again (~1.7 ms). The
    # four keys are the primary key.
    rows.sort()
    return rows


_TO_ID = itemgetter(1)


def _cut_short(rows: list[PageRow], size: int) -> list[int]:
    """The from-records of ``rows`` (sorted, from ``_FIRST_ROWS``) whose first ``size`` rows
    held fewer than ``size`` targets: more of their targets may follow.

    Only a from-record with at least ``size`` rows can be one. Its rows are a run of that
    length, so looking every ``stride`` rows finds it (two looks ``stride`` apart inside
    it), without a step per row (counting every row's from_id cost ~2 ms for 11,000)."""
    short: list[int] = []
    stride = max(1, (size - 1) // 2)
    at, last = 0, len(rows) - 1
    while at + stride <= last:
        from_id = rows[at][0]
        if rows[at + stride][0] != from_id:
            at += stride
            continue
        begin = bisect_left(rows, (from_id,))
        end = bisect_left(rows, (from_id + 1,), begin)
        if end - begin >= size and len(set(map(_TO_ID, rows[begin:end]))) < size:
            short.append(from_id)
        at = end
    return short
