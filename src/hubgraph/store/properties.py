"""A portal's property definitions and property groups (HubSpot's defaults are in domain)."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select, update

from hubgraph.domain.properties import (
    PropertyDefinition,
    PropertyGroup,
    definition_from_dict,
    definition_to_dict,
)
from hubgraph.store.tables import properties, property_groups


def portal_properties(
    conn: Connection, portal_id: int, object_type_id: str
) -> list[PropertyDefinition]:
    """Every property the portal defined or edited for the type, archived ones too."""
    rows = conn.execute(
        select(properties.c.definition)
        .where(properties.c.portal_id == portal_id, properties.c.object_type_id == object_type_id)
        .order_by(properties.c.name)
    )
    return [definition_from_dict(r.definition) for r in rows]


def lock_properties(conn: Connection, portal_id: int, object_type_id: str) -> None:
    """Serialise definition changes of one type (PostgreSQL; SQLite writers are serial):
    a unique-property count or a name check stays true until commit."""
    if conn.dialect.name != "postgresql":
        return
    conn.exec_driver_sql(
        "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
        (f"hubgraph.properties:{portal_id}:{object_type_id}",),
    )


def save_property(
    conn: Connection, portal_id: int, object_type_id: str, definition: PropertyDefinition
) -> None:
    """Insert or replace the portal's definition of ``definition.name``."""
    values = {
        "definition": definition_to_dict(definition),
        "archived_at": definition.archived_at,
    }
    changed = conn.execute(
        update(properties)
        .where(
            properties.c.portal_id == portal_id,
            properties.c.object_type_id == object_type_id,
            properties.c.name == definition.name,
        )
        .values(**values)
    )
    if changed.rowcount == 0:
        conn.execute(
            insert(properties).values(
                portal_id=portal_id, object_type_id=object_type_id, name=definition.name, **values
            )
        )


def portal_groups(conn: Connection, portal_id: int, object_type_id: str) -> list[PropertyGroup]:
    rows = conn.execute(
        select(property_groups)
        .where(
            property_groups.c.portal_id == portal_id,
            property_groups.c.object_type_id == object_type_id,
        )
        .order_by(property_groups.c.name)
    )
    return [
        PropertyGroup(r.name, r.label, r.display_order, r.archived_at is not None) for r in rows
    ]


def save_group(
    conn: Connection, portal_id: int, object_type_id: str, group: PropertyGroup, now_ms: int
) -> None:
    values = {
        "label": group.label,
        "display_order": group.display_order,
        "archived_at": now_ms if group.archived else None,
    }
    changed = conn.execute(
        update(property_groups)
        .where(
            property_groups.c.portal_id == portal_id,
            property_groups.c.object_type_id == object_type_id,
            property_groups.c.name == group.name,
        )
        .values(**values)
    )
    if changed.rowcount == 0:
        conn.execute(
            insert(property_groups).values(
                portal_id=portal_id, object_type_id=object_type_id, name=group.name, **values
            )
        )
