"""CRM records: one row per record, properties as JSON."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Engine,
    Select,
    Text,
    bindparam,
    cast,
    column,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY

from hubgraph.store import driver
from hubgraph.store.arrays import array_literal
from hubgraph.store.associations import association_rows_touching
from hubgraph.store.journal import (
    AssociationChange,
    Change,
    PropertyChange,
    RecordChange,
    journal,
)
from hubgraph.store.tables import objects

if TYPE_CHECKING:
    # psycopg's async pool: PostgreSQL only (a SQLite worker never loads libpq)
    from hubgraph.store.loop_reads import LoopReadPool


@dataclass(frozen=True, slots=True)
class ObjectRow:
    id: int
    properties: dict[str, str | None]
    created_at: int
    updated_at: int
    archived_at: int | None


def _row(r: Any) -> ObjectRow:
    return ObjectRow(r.id, r.properties, r.created_at, r.updated_at, r.archived_at)


def insert_objects(
    conn: Connection,
    portal_id: int,
    object_type_id: str,
    rows: list[tuple[int, dict[str, str | None]]],
    now_ms: int,
) -> None:
    if not rows:
        return
    conn.execute(
        insert(objects),
        [
            {
                "portal_id": portal_id,
                "object_type_id": object_type_id,
                "id": object_id,
                "properties": properties,
                "created_at": now_ms,
                "updated_at": now_ms,
                "archived_at": None,
            }
            for object_id, properties in rows
        ],
    )
    changes = journal(conn)
    if changes is not None:
        changes += [
            RecordChange(portal_id, object_type_id, object_id, "creation", properties)
            for object_id, properties in rows
        ]


# Built once, only its values bound per call: building the Core statement (three
# comparisons, coercions) cost more than running it on the hottest read, GET by id.
_OBJECT_BY_ID = select(objects).where(
    objects.c.portal_id == bindparam("portal_id"),
    objects.c.object_type_id == bindparam("object_type_id"),
    objects.c.id == bindparam("object_id"),
)


def get_object(
    conn: Connection, portal_id: int, object_type_id: str, object_id: int
) -> ObjectRow | None:
    r = conn.execute(
        _OBJECT_BY_ID,
        {"portal_id": portal_id, "object_type_id": object_type_id, "object_id": object_id},
    ).first()
    return None if r is None else _row(r)


_LIVE_OBJECT = driver.statements(
    "SELECT properties, created_at, updated_at FROM objects "
    "WHERE portal_id = :portal_id AND object_type_id = :object_type_id AND id = :object_id "
    "AND archived_at IS NULL"
)


def live_object(
    engine: Engine, portal_id: int, object_type_id: str, object_id: int
) -> ObjectRow | None:
    """A live record by id, read in one statement outside any transaction (store/driver.py);
    None when it is missing or archived (callers that care which read it again)."""
    found = driver.fetch_all(
        engine, _LIVE_OBJECT, _live_params(portal_id, object_type_id, object_id)
    )
    return _live_row(object_id, found)


async def live_object_on_loop(
    pool: LoopReadPool, portal_id: int, object_type_id: str, object_id: int
) -> ObjectRow | None:
    """``live_object`` on PostgreSQL, awaited on the event loop (store/loop_reads.py)."""
    found = await pool.fetch_all(
        _LIVE_OBJECT["postgresql"], _live_params(portal_id, object_type_id, object_id)
    )
    return _live_row(object_id, found)


def _live_params(portal_id: int, object_type_id: str, object_id: int) -> dict[str, Any]:
    return {"portal_id": portal_id, "object_type_id": object_type_id, "object_id": object_id}


def _live_row(object_id: int, found: list[tuple[Any, ...]]) -> ObjectRow | None:
    if not found:
        return None
    properties, created_at, updated_at = found[0]
    if isinstance(properties, (str, bytes)):  # sqlite3 leaves JSON as text
        properties = orjson.loads(properties)
    return ObjectRow(object_id, properties, created_at, updated_at, None)


def list_objects(
    conn: Connection,
    portal_id: int,
    object_type_id: str,
    *,
    archived: bool,
    after_id: int,
    limit: int,
) -> list[ObjectRow]:
    archived_clause = (
        objects.c.archived_at.is_not(None) if archived else objects.c.archived_at.is_(None)
    )
    rows = conn.execute(
        select(objects)
        .where(
            objects.c.portal_id == portal_id,
            objects.c.object_type_id == object_type_id,
            objects.c.id > after_id,
            archived_clause,
        )
        .order_by(objects.c.id)
        .limit(limit)
    )
    return [_row(r) for r in rows]


def _active_ids(ids: ColumnElement[Any], candidates: ColumnElement[bool]) -> Select[Any]:
    return select(ids).where(
        objects.c.portal_id == bindparam("portal_id"),
        objects.c.object_type_id == bindparam("object_type_id"),
        candidates,
        objects.c.archived_at.is_(None),
    )


# The ids travel as ONE parameter, not one bind parameter per id (a 2,000-id batch made
# SQLAlchemy expand and process 2,000 parameters per query): an array literal on
# PostgreSQL, a JSON array read by json_each on SQLite. The answer comes back the same
# way, one value rather than a row per id. On PostgreSQL the literal is cast inside a
# subquery, so it is parsed once; ``id = ANY(CAST(… AS BIGINT[]))`` re-parsed it for
# every candidate row (seconds per batch).
_ACTIVE_IDS_POSTGRESQL = _active_ids(
    func.array_agg(objects.c.id),
    objects.c.id.in_(select(func.unnest(cast(bindparam("ids", type_=Text), ARRAY(BigInteger))))),
)
_ACTIVE_IDS_SQLITE = _active_ids(
    func.json_group_array(objects.c.id),
    objects.c.id.in_(
        select(column("value", BigInteger)).select_from(func.json_each(bindparam("ids")))
    ),
)


def active_object_ids(
    conn: Connection, portal_id: int, object_type_id: str, ids: Collection[int]
) -> set[int]:
    """The subset of ``ids`` that are live (existing, not archived) records: one query."""
    if not ids:
        return set()
    params = {"portal_id": portal_id, "object_type_id": object_type_id}
    if conn.dialect.name == "postgresql":
        found = conn.execute(
            _ACTIVE_IDS_POSTGRESQL, {**params, "ids": array_literal(list(ids))}
        ).scalar()
        return set(found or ())
    ids_json = orjson.dumps(list(ids)).decode()
    found_json = conn.execute(_ACTIVE_IDS_SQLITE, {**params, "ids": ids_json}).scalar()
    return set(orjson.loads(found_json or "[]"))


def archive_objects(
    conn: Connection, portal_id: int, object_type_id: str, ids: Iterable[int], now_ms: int
) -> int:
    ids = list(ids)
    changes = journal(conn)
    if changes is not None:
        _note_records(conn, changes, portal_id, object_type_id, ids, "deletion", archived=False)
    result = conn.execute(
        update(objects)
        .where(
            objects.c.portal_id == portal_id,
            objects.c.object_type_id == object_type_id,
            objects.c.id.in_(list(ids)),
            objects.c.archived_at.is_(None),
        )
        .values(archived_at=now_ms, updated_at=now_ms)
    )
    return int(result.rowcount)


def restore_objects(
    conn: Connection, portal_id: int, object_type_id: str, ids: Iterable[int], now_ms: int
) -> int:
    """Take archived records out of the recycle bin; their association rows were kept."""
    ids = list(ids)
    changes = journal(conn)
    if changes is not None:
        _note_records(conn, changes, portal_id, object_type_id, ids, "restore", archived=True)
    result = conn.execute(
        update(objects)
        .where(
            objects.c.portal_id == portal_id,
            objects.c.object_type_id == object_type_id,
            objects.c.id.in_(list(ids)),
            objects.c.archived_at.is_not(None),
        )
        .values(archived_at=None, updated_at=now_ms)
    )
    return int(result.rowcount)


def get_objects(
    conn: Connection,
    portal_id: int,
    object_type_id: str,
    ids: Collection[int],
    *,
    archived: bool,
    for_update: bool = False,
) -> list[ObjectRow]:
    """The live (or, with ``archived``, the archived) records among ``ids``: one query.

    ``for_update`` locks them until commit (PostgreSQL; SQLite writers hold the database
    lock anyway), so a read-modify-write of their properties loses no concurrent change.
    """
    if not ids:
        return []
    archived_clause = (
        objects.c.archived_at.is_not(None) if archived else objects.c.archived_at.is_(None)
    )
    query = (
        select(objects)
        .where(
            objects.c.portal_id == portal_id,
            objects.c.object_type_id == object_type_id,
            objects.c.id.in_(sorted(ids)),
            archived_clause,
        )
        .order_by(objects.c.id)
    )
    if for_update:
        query = query.with_for_update()
    return [_row(r) for r in conn.execute(query)]


_UPDATE_PROPERTIES = (
    update(objects)
    .where(
        objects.c.portal_id == bindparam("p_portal_id"),
        objects.c.object_type_id == bindparam("p_object_type_id"),
        objects.c.id == bindparam("p_id"),
    )
    .values(properties=bindparam("p_properties"), updated_at=bindparam("p_updated_at"))
)


def set_properties(
    conn: Connection,
    portal_id: int,
    object_type_id: str,
    rows: list[tuple[int, dict[str, str | None]]],
    now_ms: int,
) -> None:
    """Replace each record's properties (already merged by the caller): one executemany."""
    if not rows:
        return
    changes = journal(conn)
    if changes is not None:
        _note_property_changes(conn, changes, portal_id, object_type_id, rows)
    conn.execute(
        _UPDATE_PROPERTIES,
        [
            {
                "p_portal_id": portal_id,
                "p_object_type_id": object_type_id,
                "p_id": object_id,
                "p_properties": properties,
                "p_updated_at": now_ms,
            }
            for object_id, properties in rows
        ],
    )


_PROPERTY_NAMES = {
    # ``::json`` keeps this right whether the column is json or jsonb
    "postgresql": text(
        "SELECT DISTINCT object_type_id, json_object_keys(properties::json) AS name "
        "FROM objects WHERE portal_id = :portal_id"
    ),
    "sqlite": text(
        "SELECT DISTINCT o.object_type_id, j.key AS name "
        "FROM objects AS o, json_each(o.properties) AS j WHERE o.portal_id = :portal_id"
    ),
}


def property_names(conn: Connection, portal_id: int) -> set[tuple[str, str]]:
    """Every (object type id, property name) the portal's records carry: one scan."""
    rows = conn.execute(_PROPERTY_NAMES[conn.dialect.name], {"portal_id": portal_id})
    return {(r.object_type_id, r.name) for r in rows}


# --- the journal (app webhooks): read what a write is about to change ------------------


def _note_records(
    conn: Connection,
    changes: list[Change],
    portal_id: int,
    object_type_id: str,
    ids: list[int],
    event: str,
    *,
    archived: bool,
) -> None:
    """Records the write will really change (live ones archived, archived ones restored);
    archiving also ends every association of the record, seen from both sides."""
    found = get_objects(conn, portal_id, object_type_id, ids, archived=archived)
    changed = sorted(r.id for r in found)
    changes += [RecordChange(portal_id, object_type_id, i, event) for i in changed]
    if event == "deletion" and changed:
        rows = association_rows_touching(conn, portal_id, object_type_id, changed)
        changes += [AssociationChange(portal_id, r, removed=True) for r in rows]


def _note_property_changes(
    conn: Connection,
    changes: list[Change],
    portal_id: int,
    object_type_id: str,
    rows: list[tuple[int, dict[str, str | None]]],
) -> None:
    before = {
        r.id: r.properties
        for r in get_objects(conn, portal_id, object_type_id, [i for i, _ in rows], archived=False)
    }
    for object_id, properties in rows:
        old = before.get(object_id, {})
        changes += [
            PropertyChange(portal_id, object_type_id, object_id, name, value)
            for name, value in properties.items()
            if old.get(name) != value
        ]
