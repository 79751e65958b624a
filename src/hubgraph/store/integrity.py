"""Set-based checks that a portal's associations still make sense after a bulk load."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, exists, or_, select

from hubgraph.store.tables import associations, objects


def _record_exists(portal_id: int, type_column: Any, id_column: Any) -> Any:
    return exists().where(
        objects.c.portal_id == portal_id,
        objects.c.object_type_id == type_column,
        objects.c.id == id_column,
    )


def dangling_associations(conn: Connection, portal_id: int, limit: int) -> list[dict[str, Any]]:
    """Association rows whose from- or to-record is not a record of the portal."""
    a = associations.c
    rows = conn.execute(
        select(a.from_type, a.from_id, a.to_type, a.to_id, a.category, a.type_id)
        .where(
            a.portal_id == portal_id,
            or_(
                ~_record_exists(portal_id, a.from_type, a.from_id),
                ~_record_exists(portal_id, a.to_type, a.to_id),
            ),
        )
        .limit(limit)
    )
    return [dict(r._mapping) for r in rows]


def one_way_associations(conn: Connection, portal_id: int, limit: int) -> list[dict[str, Any]]:
    """Association rows with no row of the same category in the opposite direction."""
    a = associations.c
    # Core's alias, as the ORM's aliased() made of a Table (the ORM is ~0.1 s to import)
    back = associations.alias()
    reverse = exists().where(
        and_(
            back.c.portal_id == portal_id,
            back.c.from_type == a.to_type,
            back.c.from_id == a.to_id,
            back.c.to_type == a.from_type,
            back.c.to_id == a.from_id,
            back.c.category == a.category,
        )
    )
    rows = conn.execute(
        select(a.from_type, a.from_id, a.to_type, a.to_id, a.category, a.type_id)
        .where(a.portal_id == portal_id, ~reverse)
        .limit(limit)
    )
    return [dict(r._mapping) for r in rows]
