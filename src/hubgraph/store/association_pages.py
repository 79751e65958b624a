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

from collections.abc import Mapping
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


def page_rows(
    engine: Engine,
    portal_id: int,
    from_type: str,
    to_type: str,
    after_by_from: Mapping[int, int],
    size: int,
) -> list[PageRow]:
    """The rows of each live from-record's page (``after_by_from``: from_id → cursor, 0 for
    the first page), for at most ``size`` targets each: one statement."""
    if not after_by_from:
        return []
    sql, params = _query(engine.dialect.name, portal_id, from_type, to_type, after_by_from, size)
    return _sorted(driver.fetch_all(engine, {engine.dialect.name: sql}, params))


async def page_rows_on_loop(
    pool: LoopReadPool,
    portal_id: int,
    from_type: str,
    to_type: str,
    after_by_from: Mapping[int, int],
    size: int,
) -> list[PageRow]:
    """``page_rows`` on PostgreSQL, awaited on the event loop (store/loop_reads.py)."""
    if not after_by_from:
        return []
    sql, params = _query("postgresql", portal_id, from_type, to_type, after_by_from, size)
    return _sorted(await pool.fetch_all(sql, params))


def _query(
    dialect: str,
    portal_id: int,
    from_type: str,
    to_type: str,
    after_by_from: Mapping[int, int],
    size: int,
) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {
        "portal_id": portal_id,
        "from_type": from_type,
        "to_type": to_type,
        "size": size,
        "hubspot": _HUBSPOT,
    }
    many = len(after_by_from) > 1
    if not many:
        ((params["from_id"], params["after"]),) = after_by_from.items()
    elif dialect == "postgresql":
        params["ids"] = array_literal(list(after_by_from))
        params["afters"] = array_literal(list(after_by_from.values()))
    else:
        params["cursors"] = orjson.dumps(list(after_by_from.items())).decode()
    return _STATEMENTS[many][dialect], params


def _sorted(found: list[tuple[Any, ...]]) -> list[PageRow]:
    rows = cast(list[PageRow], found)
    # Sorted here, not by an ORDER BY: the rows come out of the window nearly in order,
    # which Python's sort finishes in one pass (0.4 ms for 10,000 rows) where PostgreSQL
    # sorted them all again (~1.7 ms). The four keys are the primary key.
    rows.sort()
    return rows
