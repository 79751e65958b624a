"""A batch of default associations checked and written by the database in one go.

The inputs travel as two id columns (one parameter each); the database finds which
records are live, inserts both directions of every input whose records both are, and
answers only with the inputs that were not: PostgreSQL in one statement (a data-modifying
CTE), SQLite through a temporary table of the pairs (its INSERT cannot sit in a CTE)
inside the caller's transaction.
No Python object per input is built on the way (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection, text

from hubgraph import metrics
from hubgraph.domain.association_types import AssociationType
from hubgraph.domain.associations import Association
from hubgraph.store.association_limits import LIMIT_BETWEEN_EXISTS
from hubgraph.store.associations import CATEGORY_CODES, insert_associations
from hubgraph.store.driver import psycopg_style
from hubgraph.store.journal import journal

if TYPE_CHECKING:
    from hubgraph.store.engine import Database
    from hubgraph.store.loop_reads import LoopReadPool


@dataclass(frozen=True)
class Invalid:
    """An input (0-based position) whose from- or to-record is missing, archived or not an id."""

    index: int
    from_ok: bool
    to_ok: bool


# Rows are inserted in primary-key order, so concurrent writers of overlapping rows take
# their index locks in the same order and cannot deadlock (as insert_associations does).
_PG_CHECKED = """
WITH input AS (
    SELECT u.f, u.t, u.n
    FROM unnest(CAST(CAST(:from_ids AS TEXT) AS BIGINT[]),
                CAST(CAST(:to_ids AS TEXT) AS BIGINT[])) WITH ORDINALITY AS u(f, t, n)
),
checked AS (
    -- One primary-key probe per input and side (a lateral subquery with LIMIT is never
    -- flattened or hashed). A join, IN or EXISTS here was planned from the objects
    -- table's statistics: a nested loop or a hash over every record of the type, which
    -- costs seconds on a freshly loaded table and grows with the portal.
    SELECT i.n, i.f, i.t, lf.ok IS NOT NULL AS from_ok, lt.ok IS NOT NULL AS to_ok
    FROM input AS i
    LEFT JOIN LATERAL (
        SELECT 1 AS ok FROM objects AS o
        WHERE o.portal_id = :portal_id AND o.object_type_id = :from_type
          AND o.id = i.f AND o.archived_at IS NULL
        LIMIT 1
    ) AS lf ON TRUE
    LEFT JOIN LATERAL (
        SELECT 1 AS ok FROM objects AS o
        WHERE o.portal_id = :portal_id AND o.object_type_id = :to_type
          AND o.id = i.t AND o.archived_at IS NULL
        LIMIT 1
    ) AS lt ON TRUE
)
"""
_PG_INSERTED = """
inserted AS (
    INSERT INTO associations
        (portal_id, from_type, from_id, to_type, to_id, category, type_id, created_at)
    SELECT :portal_id, r.from_type, r.from_id, r.to_type, r.to_id, r.category, r.type_id, :now
    FROM (
        SELECT CAST(:from_type AS VARCHAR) AS from_type, f AS from_id,
               CAST(:to_type AS VARCHAR) AS to_type, t AS to_id,
               CAST(:forward_category AS SMALLINT) AS category,
               CAST(:forward_type_id AS INTEGER) AS type_id
        FROM checked WHERE from_ok AND to_ok
        UNION ALL
        SELECT CAST(:to_type AS VARCHAR), t, CAST(:from_type AS VARCHAR), f,
               CAST(:backward_category AS SMALLINT), CAST(:backward_type_id AS INTEGER)
        FROM checked WHERE from_ok AND to_ok
    ) AS r
    ORDER BY r.from_type, r.from_id, r.to_type, r.to_id, r.category, r.type_id
    ON CONFLICT DO NOTHING
)
"""
_PG_INVALID = """
SELECT n - 1, from_ok, to_ok FROM checked WHERE NOT (from_ok AND to_ok) ORDER BY n
"""
_POSTGRESQL = text(_PG_CHECKED + ",\n" + _PG_INSERTED + "\n" + _PG_INVALID)
# The check alone, for a transaction whose changes are journaled (app webhooks).
_POSTGRESQL_CHECK = text(_PG_CHECKED + "\n" + _PG_INVALID)

# The pairs are one JSON array of [from, to] (null where an id did not parse).
_SQLITE_CHECK = text(
    """
SELECT i.n, i.from_ok, i.to_ok FROM (
    SELECT p.key AS n,
           EXISTS (SELECT 1 FROM objects AS o
                   WHERE o.portal_id = :portal_id AND o.object_type_id = :from_type
                     AND o.id = p.value ->> 0 AND o.archived_at IS NULL) AS from_ok,
           EXISTS (SELECT 1 FROM objects AS o
                   WHERE o.portal_id = :portal_id AND o.object_type_id = :to_type
                     AND o.id = p.value ->> 1 AND o.archived_at IS NULL) AS to_ok
    FROM json_each(:pairs) AS p
) AS i
WHERE NOT (i.from_ok AND i.to_ok)
ORDER BY i.n
"""
)
# SQLite's batch goes through a temporary table of its pairs: filled from their JSON once,
# then checked and inserted from plain columns. An INSERT … SELECT that calls any SQL
# function (``->>`` included), or whose NOT NULL columns could abort it (ON CONFLICT DO
# NOTHING covers only the key), inside a transaction keeps a statement journal: a copy
# of every page it touches, about a quarter of the insert's own cost for 4,000 scattered
# rows. INSERT OR IGNORE from plain columns keeps none; by then the table holds only
# checked pairs, never a NULL id.
_SQLITE_PAIRS_TABLE = text(
    "CREATE TEMPORARY TABLE IF NOT EXISTS hubgraph_default_pairs "
    "(n INTEGER PRIMARY KEY, f INTEGER, t INTEGER)"
)
_SQLITE_FILL = text(
    "INSERT INTO temp.hubgraph_default_pairs (n, f, t) "
    "SELECT p.key, p.value ->> 0, p.value ->> 1 FROM json_each(:pairs) AS p"
)
_SQLITE_CHECK_FILLED = text(
    """
SELECT i.n, i.from_ok, i.to_ok FROM (
    SELECT p.n,
           EXISTS (SELECT 1 FROM objects AS o
                   WHERE o.portal_id = :portal_id AND o.object_type_id = :from_type
                     AND o.id = p.f AND o.archived_at IS NULL) AS from_ok,
           EXISTS (SELECT 1 FROM objects AS o
                   WHERE o.portal_id = :portal_id AND o.object_type_id = :to_type
                     AND o.id = p.t AND o.archived_at IS NULL) AS to_ok
    FROM temp.hubgraph_default_pairs AS p
) AS i
WHERE NOT (i.from_ok AND i.to_ok)
ORDER BY i.n
"""
)
_SQLITE_DROP_INVALID = text(
    "DELETE FROM temp.hubgraph_default_pairs WHERE n IN (SELECT value FROM json_each(:invalid))"
)
# Rows go in in primary-key order: each B-tree page is visited once (~9% less CPU).
_SQLITE_INSERT = text(
    """
INSERT OR IGNORE INTO associations
    (portal_id, from_type, from_id, to_type, to_id, category, type_id, created_at)
SELECT :portal_id, :from_type, f, :to_type, t, :forward_category, :forward_type_id, :now
FROM temp.hubgraph_default_pairs
UNION ALL
SELECT :portal_id, :to_type, t, :from_type, f, :backward_category, :backward_type_id, :now
FROM temp.hubgraph_default_pairs
ORDER BY 2, 3, 4, 5, 6, 7
"""
)
_SQLITE_EMPTY = text("DELETE FROM temp.hubgraph_default_pairs")
# A few pairs (a PUT is one) skip the table: its five statements cost more than the
# statement journal of a handful of rows (in-process PUT 0.94 -> 1.06 ms with the table).
_SQLITE_FEW_PAIRS = 16
# "WHERE true": SQLite's grammar needs it before ON CONFLICT after a SELECT.
_SQLITE_INSERT_FEW = text(
    """
INSERT INTO associations
    (portal_id, from_type, from_id, to_type, to_id, category, type_id, created_at)
SELECT :portal_id, :from_type, p.value ->> 0, :to_type, p.value ->> 1,
       :forward_category, :forward_type_id, :now
FROM json_each(:pairs) AS p
UNION ALL
SELECT :portal_id, :to_type, p.value ->> 1, :from_type, p.value ->> 0,
       :backward_category, :backward_type_id, :now
FROM json_each(:pairs) AS p WHERE true
ON CONFLICT DO NOTHING
"""
)


def _ids_literal(ids: Sequence[int | None]) -> str:
    if None not in ids:  # the usual batch: no Python call per id
        return "{" + ",".join(map(str, ids)) + "}"
    return "{" + ",".join("NULL" if i is None else str(i) for i in ids) + "}"


def _pair_type_params(
    portal_id: int,
    from_type: str,
    to_type: str,
    forward: AssociationType,
    backward: AssociationType,
    now_ms: int,
) -> dict[str, object]:
    return {
        "portal_id": portal_id,
        "from_type": from_type,
        "to_type": to_type,
        "forward_category": CATEGORY_CODES[forward.category],
        "forward_type_id": forward.type_id,
        "backward_category": CATEGORY_CODES[backward.category],
        "backward_type_id": backward.type_id,
        "now": now_ms,
    }


def _columns(from_ids: Sequence[int | None], to_ids: Sequence[int | None]) -> dict[str, str]:
    """PostgreSQL's two id columns (SQLite's pairs travel as JSON instead)."""
    return {"from_ids": _ids_literal(from_ids), "to_ids": _ids_literal(to_ids)}


def associate_live_pairs(
    conn: Connection,
    portal_id: int,
    from_type: str,
    to_type: str,
    forward: AssociationType,
    backward: AssociationType,
    from_ids: Sequence[int | None],
    to_ids: Sequence[int | None],
    now_ms: int,
) -> list[Invalid]:
    """Write both directions of every input whose two records are live; the others, in
    input order. ``forward`` is the type from ``from_type`` to ``to_type``, ``backward``
    its inverse."""
    if not from_ids:
        return []
    params = _pair_type_params(portal_id, from_type, to_type, forward, backward, now_ms)
    if journal(conn) is not None:
        # Someone listens to this transaction's changes: check here, and let
        # insert_associations write and note exactly the rows it adds.
        if conn.dialect.name == "postgresql":
            found = conn.execute(_POSTGRESQL_CHECK, {**params, **_columns(from_ids, to_ids)}).all()
        else:
            found = list(conn.execute(_SQLITE_CHECK, {**params, "pairs": _pairs(from_ids, to_ids)}))
        invalid = [Invalid(int(n), bool(f), bool(t)) for n, f, t in found]
        bad = {i.index for i in invalid}
        fw, bw = forward, backward
        rows: dict[Association, None] = {}
        for n, (f, t) in enumerate(zip(from_ids, to_ids, strict=True)):
            if n not in bad and f is not None and t is not None:
                rows[Association(from_type, f, to_type, t, fw.category, fw.type_id)] = None
                rows[Association(to_type, t, from_type, f, bw.category, bw.type_id)] = None
        insert_associations(conn, portal_id, list(rows), now_ms)
        return invalid
    if conn.dialect.name == "postgresql":
        found = conn.execute(_POSTGRESQL, {**params, **_columns(from_ids, to_ids)}).all()
        invalid = [Invalid(int(n), bool(f), bool(t)) for n, f, t in found]
        metrics.ASSOCIATION_ROWS_WRITTEN.inc(2 * (len(from_ids) - len(invalid)))
        return invalid
    return _sqlite_associate(conn, params, from_ids, to_ids)


def _sqlite_associate(
    conn: Connection,
    params: dict[str, object],
    from_ids: Sequence[int | None],
    to_ids: Sequence[int | None],
) -> list[Invalid]:
    if len(from_ids) <= _SQLITE_FEW_PAIRS:
        return _sqlite_associate_few(conn, params, from_ids, to_ids)
    # Created here, in the transaction: a rollback takes the table away with it.
    conn.execute(_SQLITE_PAIRS_TABLE)
    conn.execute(_SQLITE_FILL, {"pairs": _pairs(from_ids, to_ids)})
    invalid = [
        Invalid(int(n), bool(f), bool(t)) for n, f, t in conn.execute(_SQLITE_CHECK_FILLED, params)
    ]
    if invalid:
        bad = orjson.dumps([i.index for i in invalid]).decode()
        conn.execute(_SQLITE_DROP_INVALID, {"invalid": bad})
    if len(invalid) < len(from_ids):
        conn.execute(_SQLITE_INSERT, params)
        metrics.ASSOCIATION_ROWS_WRITTEN.inc(2 * (len(from_ids) - len(invalid)))
    conn.execute(_SQLITE_EMPTY)
    return invalid


def _sqlite_associate_few(
    conn: Connection,
    params: dict[str, object],
    from_ids: Sequence[int | None],
    to_ids: Sequence[int | None],
) -> list[Invalid]:
    """The check and the insert straight from the pairs' JSON: two statements."""
    pairs = _pairs(from_ids, to_ids)
    invalid = [
        Invalid(int(n), bool(f), bool(t))
        for n, f, t in conn.execute(_SQLITE_CHECK, {**params, "pairs": pairs})
    ]
    if invalid:
        bad = {i.index for i in invalid}
        valid = [p for n, p in enumerate(zip(from_ids, to_ids, strict=True)) if n not in bad]
        pairs = orjson.dumps(valid).decode()
    if len(invalid) < len(from_ids):
        conn.execute(_SQLITE_INSERT_FEW, {**params, "pairs": pairs})
        metrics.ASSOCIATION_ROWS_WRITTEN.inc(2 * (len(from_ids) - len(invalid)))
    return invalid


def _pairs(from_ids: Sequence[int | None], to_ids: Sequence[int | None]) -> str:
    return orjson.dumps(list(zip(from_ids, to_ids, strict=True))).decode()


# A single pair's common case, written on the event loop: both records live and no custom
# limit between the two types (any, either way: the limited path must count them).
_BOTH_LIVE = """
EXISTS (SELECT 1 FROM objects
        WHERE portal_id = :portal_id AND object_type_id = :from_type
          AND id = :from_id AND archived_at IS NULL)
AND EXISTS (SELECT 1 FROM objects
            WHERE portal_id = :portal_id AND object_type_id = :to_type
              AND id = :to_id AND archived_at IS NULL)
"""
_PAIR_WRITABLE = _BOTH_LIVE + "AND NOT " + LIMIT_BETWEEN_EXISTS + "\n"
# SQLite (Database.write_now_if_free): the check, then both rows from plain values.
_SQLITE_PAIR_WRITABLE = "SELECT " + _PAIR_WRITABLE
_SQLITE_INSERT_PAIR = """
INSERT OR IGNORE INTO associations
    (portal_id, from_type, from_id, to_type, to_id, category, type_id, created_at)
VALUES (:portal_id, :from_type, :from_id, :to_type, :to_id,
        :forward_category, :forward_type_id, :now),
       (:portal_id, :to_type, :to_id, :from_type, :from_id,
        :backward_category, :backward_type_id, :now)
"""
# PostgreSQL, on the event loop's own connections (store/loop_reads.py): one statement, so
# one transaction in autocommit, that answers whether it could write. Sending it twice
# (the pool resends once on a dropped connection) changes nothing more.
_PG_ASSOCIATE_ONE = psycopg_style(
    "WITH ok AS (SELECT "  # noqa: S608 - this module's constants only, never input
    + _PAIR_WRITABLE
    + """ AS ok),
inserted AS (
    INSERT INTO associations
        (portal_id, from_type, from_id, to_type, to_id, category, type_id, created_at)
    SELECT r.* FROM (VALUES
        (CAST(:portal_id AS BIGINT), CAST(:from_type AS VARCHAR), CAST(:from_id AS BIGINT),
         CAST(:to_type AS VARCHAR), CAST(:to_id AS BIGINT),
         CAST(:forward_category AS SMALLINT), CAST(:forward_type_id AS INTEGER),
         CAST(:now AS BIGINT)),
        (:portal_id, :to_type, :to_id, :from_type, :from_id,
         :backward_category, :backward_type_id, :now)
    ) AS r (portal_id, from_type, from_id, to_type, to_id, category, type_id, created_at)
    WHERE (SELECT ok FROM ok)
    -- in key order, as every writer here inserts: two writers cannot deadlock
    ORDER BY r.from_type, r.from_id, r.to_type, r.to_id, r.category, r.type_id
    ON CONFLICT DO NOTHING
)
SELECT ok FROM ok
"""
)


@dataclass(frozen=True, slots=True)
class LivePair:
    """One pair to associate both ways: ``forward`` is the type from ``from_type`` to
    ``to_type``, ``backward`` its inverse."""

    portal_id: int
    from_type: str
    to_type: str
    forward: AssociationType
    backward: AssociationType
    from_id: int
    to_id: int

    def params(self, now_ms: int) -> dict[str, object]:
        ends = (self.portal_id, self.from_type, self.to_type, self.forward, self.backward)
        ids = {"from_id": self.from_id, "to_id": self.to_id}
        # LIMIT_BETWEEN_EXISTS names the two types a and b
        limit_ends = {"a_type": self.from_type, "b_type": self.to_type}
        return {**_pair_type_params(*ends, now_ms), **ids, **limit_ends}


def associate_live_pair_now_if_free(database: Database, pair: LivePair, now_ms: int) -> bool:
    """SQLite, on the event loop: both directions of the pair, committed before this
    returns, when no other writer holds the file and nothing listens to changes. True
    when both rows are there now (written, or already associated); False with nothing
    written when the writer is busy, a record is missing or archived, a limit applies
    between the types, or the database is PostgreSQL: then the caller's general path
    writes, or answers why not."""
    params = pair.params(now_ms)

    def work(connection: Any) -> bool:
        if not connection.execute(_SQLITE_PAIR_WRITABLE, params).fetchone()[0]:
            return False
        connection.execute(_SQLITE_INSERT_PAIR, params)
        return True

    if not database.write_now_if_free(work):
        return False
    metrics.ASSOCIATION_ROWS_WRITTEN.inc(2)  # as the batch path counts a valid input
    return True


async def associate_live_pair_on_loop(pool: LoopReadPool, pair: LivePair, now_ms: int) -> bool:
    """PostgreSQL, awaited on the event loop: both directions of the pair, committed
    before this returns. True when both rows are there now (written, or already
    associated); False with nothing written when a record is missing or archived or a
    limit applies between the types: then the caller's general path answers why. The
    caller checks that nothing listens to changes (these writes are not journaled)."""
    ((ok,),) = await pool.fetch_all(_PG_ASSOCIATE_ONE, pair.params(now_ms))
    if ok:
        metrics.ASSOCIATION_ROWS_WRITTEN.inc(2)
    return bool(ok)
