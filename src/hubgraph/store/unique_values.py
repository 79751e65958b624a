"""Holders of unique property values: who has ``email`` x, and claiming a value."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import Connection, delete, select, text, tuple_
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


_VALUE_OF = {
    "postgresql": "properties::json ->> :name",
    "sqlite": "json_extract(properties, '$.' || :name)",
}


def _index_statement(value: str) -> str:
    # ``value`` is one of the fixed expressions above, never input
    return (
        "INSERT INTO unique_values (portal_id, object_type_id, property_name, value, "  # noqa: S608
        f"object_id) SELECT portal_id, object_type_id, :name, {value}, id FROM objects "
        "WHERE portal_id = :portal_id AND object_type_id = :object_type_id "
        f"AND archived_at IS NULL AND coalesce({value}, '') <> '' "
        "ORDER BY id ON CONFLICT DO NOTHING"
    )


_INDEX_EXISTING = {
    (dialect, lower): text(_index_statement(f"lower({value})" if lower else value))
    for dialect, value in _VALUE_OF.items()
    for lower in (False, True)
}


def index_existing(
    conn: Connection, portal_id: int, object_type_id: str, name: str, *, lower: bool
) -> None:
    """Record the values live records already hold (after a bulk load); first holder wins."""
    conn.execute(
        _INDEX_EXISTING[(conn.dialect.name, lower)],
        {"portal_id": portal_id, "object_type_id": object_type_id, "name": name},
    )
