"""Custom association limits, and the counts they are checked against."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, func, select, tuple_

from hubgraph.domain.association_types import Category
from hubgraph.store.associations import CATEGORIES_BY_CODE, CATEGORY_CODES
from hubgraph.store.tables import association_limits, associations, objects

# (from_type, to_type, category, type_id): one directional association type.
TypeKey = tuple[str, str, Category, int]


def limits_for(
    conn: Connection, portal_id: int, pairs: Collection[tuple[str, str]]
) -> dict[TypeKey, int]:
    """The portal's custom limits on any type between the given ordered pairs: one query."""
    if not pairs:
        return {}

    rows = conn.execute(
        select(association_limits).where(
            association_limits.c.portal_id == portal_id,
            tuple_(association_limits.c.from_type, association_limits.c.to_type).in_(list(pairs)),
        )
    )
    return {
        (r.from_type, r.to_type, CATEGORIES_BY_CODE[r.category], r.type_id): r.max_to_object_ids
        for r in rows
    }


def _of_type(portal_id: int, key: TypeKey):  # type: ignore[no-untyped-def]
    from_type, to_type, category, type_id = key
    return (
        associations.c.portal_id == portal_id,
        associations.c.from_type == from_type,
        associations.c.to_type == to_type,
        associations.c.category == CATEGORY_CODES[category],
        associations.c.type_id == type_id,
    )


def target_counts(
    conn: Connection, portal_id: int, key: TypeKey, from_ids: Collection[int]
) -> dict[int, int]:
    """How many records each from-record is associated to with this type."""
    rows = conn.execute(
        select(associations.c.from_id, func.count())
        .where(*_of_type(portal_id, key), associations.c.from_id.in_(list(from_ids)))
        .group_by(associations.c.from_id)
    )
    return {int(from_id): int(count) for from_id, count in rows}


def existing_pairs(
    conn: Connection,
    portal_id: int,
    key: TypeKey,
    from_ids: Collection[int],
    to_ids: Collection[int],
) -> set[tuple[int, int]]:
    """Which of these (from, to) combinations already have this type."""
    rows = conn.execute(
        select(associations.c.from_id, associations.c.to_id).where(
            *_of_type(portal_id, key),
            associations.c.from_id.in_(list(from_ids)),
            associations.c.to_id.in_(list(to_ids)),
        )
    )
    return {(int(f), int(t)) for f, t in rows}


def lock_counted_records(
    conn: Connection, portal_id: int, records: Collection[tuple[str, int]]
) -> None:
    """Lock the records whose association counts a limit check is about to read.

    Under PostgreSQL's READ COMMITTED two writers could both count 2 of 3 and both add one;
    holding the from-records' rows until commit makes the second wait and count again.
    Locks are taken in key order, so two checks never deadlock. SQLite needs nothing:
    its writers already run one at a time (BEGIN IMMEDIATE).
    """
    if conn.dialect.name != "postgresql" or not records:
        return
    by_type: dict[str, list[int]] = {}
    for object_type_id, object_id in sorted(set(records)):
        by_type.setdefault(object_type_id, []).append(object_id)
    for object_type_id, ids in by_type.items():
        conn.execute(
            select(objects.c.id)
            .where(
                objects.c.portal_id == portal_id,
                objects.c.object_type_id == object_type_id,
                objects.c.id.in_(ids),
            )
            .order_by(objects.c.id)
            .with_for_update()
        ).all()
