"""Custom object schemas, per portal (the ``custom_object_schemas`` table)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from hubgraph.store.tables import (
    association_limits,
    association_types,
    associations,
    custom_object_schemas,
    custom_object_type_sequence,
    objects,
    properties,
    property_groups,
    unique_values,
)

_TYPE_ID = re.compile(r"2-([0-9]{1,18})")
# ``p{portalId}_{name}``; HubSpot accepts it in any case (reference §6.5).
_QUALIFIED = re.compile(r"p([0-9]{1,18})_([A-Za-z][A-Za-z0-9_]*)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SchemaRow:
    portal_id: int
    type_number: int
    name: str
    definition: dict[str, Any]
    created_at: int
    updated_at: int
    archived_at: int | None

    @property
    def object_type_id(self) -> str:
        return f"2-{self.type_number}"


def _row(r: Any) -> SchemaRow:
    return SchemaRow(
        r.portal_id,
        r.type_number,
        r.name,
        dict(r.definition),
        r.created_at,
        r.updated_at,
        r.archived_at,
    )


def find(
    conn: Connection, portal_id: int, value: str, *, archived: bool = False
) -> SchemaRow | None:
    """The portal's schema named by an objectTypeId or a fully qualified name."""
    t = custom_object_schemas.c
    query = select(custom_object_schemas).where(t.portal_id == portal_id)
    by_id = _TYPE_ID.fullmatch(value)
    qualified = _QUALIFIED.fullmatch(value)
    if by_id is not None:
        query = query.where(t.type_number == int(by_id.group(1)))
    elif qualified is not None and int(qualified.group(1)) == portal_id:
        query = query.where(t.name_key == qualified.group(2).lower())
    else:
        return None
    query = query.where(t.archived_at.is_not(None) if archived else t.archived_at.is_(None))
    found = conn.execute(query).first()
    return None if found is None else _row(found)


def list_schemas(conn: Connection, portal_id: int, *, archived: bool) -> list[SchemaRow]:
    t = custom_object_schemas.c
    rows = conn.execute(
        select(custom_object_schemas)
        .where(
            t.portal_id == portal_id,
            t.archived_at.is_not(None) if archived else t.archived_at.is_(None),
        )
        .order_by(t.type_number)
    )
    return [_row(r) for r in rows]


def lock_schemas(conn: Connection) -> None:
    """Serialise schema creation (PostgreSQL; SQLite writers are serial): the next number
    and the name check stay true until commit."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            ("hubgraph.custom_object_schemas",),
        )


def name_taken(conn: Connection, portal_id: int, name: str) -> bool:
    t = custom_object_schemas.c
    found = conn.execute(
        select(t.type_number).where(t.portal_id == portal_id, t.name_key == name.lower())
    ).first()
    return found is not None


def next_type_number(conn: Connection, portal_id: int, first: int) -> int:
    """A number never handed out before, in any portal (call under ``lock_schemas``), and
    above the portal's own: an imported dump or a restored snapshot may carry numbers from
    another server's counter."""
    seq = custom_object_type_sequence
    current = conn.execute(select(seq.c.next_number).where(seq.c.id == 1)).scalar()
    t = custom_object_schemas.c
    highest = conn.execute(select(func.max(t.type_number)).where(t.portal_id == portal_id)).scalar()
    number = max(first if current is None else int(current), int(highest or 0) + 1)
    if current is None:
        conn.execute(insert(seq).values(id=1, next_number=number + 1))
    else:
        conn.execute(update(seq).where(seq.c.id == 1).values(next_number=number + 1))
    return number


def insert_schema(conn: Connection, schema: SchemaRow) -> None:
    conn.execute(
        insert(custom_object_schemas).values(
            portal_id=schema.portal_id,
            type_number=schema.type_number,
            name=schema.name,
            name_key=schema.name.lower(),
            definition=schema.definition,
            created_at=schema.created_at,
            updated_at=schema.updated_at,
            archived_at=schema.archived_at,
        )
    )


def save_schema(conn: Connection, schema: SchemaRow) -> None:
    t = custom_object_schemas.c
    conn.execute(
        update(custom_object_schemas)
        .where(t.portal_id == schema.portal_id, t.type_number == schema.type_number)
        .values(
            definition=schema.definition,
            updated_at=schema.updated_at,
            archived_at=schema.archived_at,
        )
    )


def count_live_records(conn: Connection, portal_id: int, object_type_id: str) -> int:
    o = objects.c
    found = conn.execute(
        select(func.count()).where(
            o.portal_id == portal_id,
            o.object_type_id == object_type_id,
            o.archived_at.is_(None),
        )
    ).scalar()
    return int(found or 0)


def purge_schema(conn: Connection, portal_id: int, object_type_id: str, type_number: int) -> None:
    """Remove the schema and everything of its type: records, associations, definitions."""
    for table, column in (
        (properties, properties.c.object_type_id),
        (property_groups, property_groups.c.object_type_id),
        (unique_values, unique_values.c.object_type_id),
        (objects, objects.c.object_type_id),
    ):
        conn.execute(delete(table).where(table.c.portal_id == portal_id, column == object_type_id))
    for table in (associations, association_types, association_limits):
        conn.execute(
            delete(table).where(
                table.c.portal_id == portal_id,
                or_(table.c.from_type == object_type_id, table.c.to_type == object_type_id),
            )
        )
    t = custom_object_schemas.c
    conn.execute(
        delete(custom_object_schemas).where(t.portal_id == portal_id, t.type_number == type_number)
    )
