"""Holders of unique property values: who has ``email`` x, and claiming a value."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import Connection, delete, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from hubgraph.store.tables import unique_values

UniqueValue = tuple[str, str]
"""(property name, canonical value)"""


def holders(
    conn: Connection, portal_id: int, object_type_id: str, wanted: Collection[UniqueValue]
) -> dict[UniqueValue, int]:
    """The record holding each value, for the values some record holds: one query."""
    if not wanted:
        return {}
    rows = conn.execute(
        select(
            unique_values.c.property_name, unique_values.c.value, unique_values.c.object_id
        ).where(
            unique_values.c.portal_id == portal_id,
            unique_values.c.object_type_id == object_type_id,
            tuple_(unique_values.c.property_name, unique_values.c.value).in_(sorted(wanted)),
        )
    )
    return {(r.property_name, r.value): r.object_id for r in rows}


def claim(
    conn: Connection,
    portal_id: int,
    object_type_id: str,
    rows: Iterable[tuple[str, str, int]],
) -> list[UniqueValue]:
    """Record (property, value, object id) rows; answers the values already held.

    ``ON CONFLICT DO NOTHING``: on PostgreSQL a concurrent claim of the same value waits
    for the other transaction, so exactly one of two racing writers gets it.
    """
    rows = list(rows)
    if not rows:
        return []
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(unique_values)
        .values(
            [
                {
                    "portal_id": portal_id,
                    "object_type_id": object_type_id,
                    "property_name": name,
                    "value": value,
                    "object_id": object_id,
                }
                for name, value, object_id in rows
            ]
        )
        .on_conflict_do_nothing()
        .returning(unique_values.c.property_name, unique_values.c.value)
    )
    claimed = {(r.property_name, r.value) for r in conn.execute(statement)}
    return [(name, value) for name, value, _ in rows if (name, value) not in claimed]


def release(
    conn: Connection, portal_id: int, object_type_id: str, values: Collection[tuple[str, str, int]]
) -> None:
    """Give up (property, value) pairs, each only if ``object id`` still holds it."""
    if not values:
        return
    conn.execute(
        delete(unique_values).where(
            unique_values.c.portal_id == portal_id,
            unique_values.c.object_type_id == object_type_id,
            tuple_(
                unique_values.c.property_name, unique_values.c.value, unique_values.c.object_id
            ).in_(sorted(values)),
        )
    )


def release_records(
    conn: Connection, portal_id: int, object_type_id: str, object_ids: Collection[int]
) -> None:
    """Every value the records hold (they are archived or merged away)."""
    if not object_ids:
        return
    conn.execute(
        delete(unique_values).where(
            unique_values.c.portal_id == portal_id,
            unique_values.c.object_type_id == object_type_id,
            unique_values.c.object_id.in_(sorted(object_ids)),
        )
    )
