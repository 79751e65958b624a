"""Custom association limits, and the counts they are checked against."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    tuple_,
    update,
)

from hubgraph.domain.association_types import Category
from hubgraph.domain.limits import AssociationLimit
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


# Any custom limit on a type between two object types, either way (``:portal_id``,
# ``:a_type``, ``:b_type``): asked alone below, and inside the default PUT's one statement
# on the event loop (store/default_associations.py). Text, built once, only its values
# bound per call: the default PUT asks it on every call, and building limits_for's tuple
# IN (coercions, cache key, expanding post-compile) cost about as much as the write
# itself (docs/performance.md).
LIMIT_BETWEEN_EXISTS = """EXISTS (SELECT 1 FROM association_limits
    WHERE portal_id = :portal_id
      AND ((from_type = :a_type AND to_type = :b_type)
           OR (from_type = :b_type AND to_type = :a_type)))"""
_ANY_LIMIT_BETWEEN = text("SELECT " + LIMIT_BETWEEN_EXISTS)


def any_limit_between(conn: Connection, portal_id: int, a_type: str, b_type: str) -> bool:
    """Whether the portal set a custom limit on any type between the two object types,
    in either direction: ``bool(limits_for(...))`` for both ordered pairs, in one probe."""
    params = {"portal_id": portal_id, "a_type": a_type, "b_type": b_type}
    return bool(conn.execute(_ANY_LIMIT_BETWEEN, params).scalar_one())


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
    """How many live records each from-record is associated to with this type.

    Associations to archived records are kept for a restore but hidden from every read,
    so they do not count against a limit.
    """
    live_target = and_(
        objects.c.portal_id == associations.c.portal_id,
        objects.c.object_type_id == associations.c.to_type,
        objects.c.id == associations.c.to_id,
        objects.c.archived_at.is_(None),
    )
    rows = conn.execute(
        select(associations.c.from_id, func.count())
        .select_from(associations.join(objects, live_target))
        .where(*_of_type(portal_id, key), associations.c.from_id.in_(list(from_ids)))
        .group_by(associations.c.from_id)
    )
    return {int(from_id): int(count) for from_id, count in rows}


def counted_pairs(
    conn: Connection, portal_id: int, key: TypeKey, pairs: Collection[tuple[int, int]]
) -> set[tuple[int, int]]:
    """Which of these (from, to) pairs have this type to a live record: the ones
    ``target_counts`` counts. Pairs are matched as row values, as in ``rows_between``."""
    if not pairs:
        return set()
    live_target = and_(
        objects.c.portal_id == associations.c.portal_id,
        objects.c.object_type_id == associations.c.to_type,
        objects.c.id == associations.c.to_id,
        objects.c.archived_at.is_(None),
    )
    rows = conn.execute(
        select(associations.c.from_id, associations.c.to_id)
        .select_from(associations.join(objects, live_target))
        .where(
            *_of_type(portal_id, key),
            tuple_(associations.c.from_id, associations.c.to_id).in_(sorted(pairs)),
        )
    )
    return {(int(f), int(t)) for f, t in rows}


def existing_pairs(
    conn: Connection, portal_id: int, key: TypeKey, pairs: Collection[tuple[int, int]]
) -> set[tuple[int, int]]:
    """Which of these (from, to) pairs already have this type.

    Matched as row values: separate IN lists on the two columns made SQLite probe their
    cross product (6 s for a batch of 2,000 pairs, as ``rows_between`` found).
    """
    if not pairs:
        return set()
    rows = conn.execute(
        select(associations.c.from_id, associations.c.to_id).where(
            *_of_type(portal_id, key),
            tuple_(associations.c.from_id, associations.c.to_id).in_(sorted(pairs)),
        )
    )
    return {(int(f), int(t)) for f, t in rows}


def lock_records(conn: Connection, portal_id: int, object_type: str, ids: Collection[int]) -> None:
    """Row-lock these records until commit, so two writers cannot both take the last slot.

    PostgreSQL only: SQLite writers already hold the database lock. Rows are locked in id
    order so concurrent writers queue instead of deadlocking.
    """
    if conn.dialect.name != "postgresql" or not ids:
        return
    conn.execute(
        select(objects.c.id)
        .where(
            objects.c.portal_id == portal_id,
            objects.c.object_type_id == object_type,
            objects.c.id.in_(sorted(ids)),
        )
        .order_by(objects.c.id)
        .with_for_update()
    )


def _limit(row: Any) -> AssociationLimit:
    return AssociationLimit(
        row.from_type,
        row.to_type,
        CATEGORIES_BY_CODE[row.category],
        row.type_id,
        row.max_to_object_ids,
    )


def list_limits(
    conn: Connection, portal_id: int, pair: tuple[str, str] | None = None
) -> list[AssociationLimit]:
    """The portal's custom limits, on one ordered pair or on all, in a stable order."""
    query = select(association_limits).where(association_limits.c.portal_id == portal_id)
    if pair is not None:
        query = query.where(
            association_limits.c.from_type == pair[0], association_limits.c.to_type == pair[1]
        )
    query = query.order_by(
        association_limits.c.from_type,
        association_limits.c.to_type,
        association_limits.c.category,
        association_limits.c.type_id,
    )
    return [_limit(r) for r in conn.execute(query)]


def insert_limits(conn: Connection, portal_id: int, limits: list[AssociationLimit]) -> None:
    if not limits:
        return
    conn.execute(
        insert(association_limits),
        [
            {
                "portal_id": portal_id,
                "from_type": limit.from_type,
                "to_type": limit.to_type,
                "category": CATEGORY_CODES[limit.category],
                "type_id": limit.type_id,
                "max_to_object_ids": limit.max_to_object_ids,
            }
            for limit in limits
        ],
    )


def update_limits(conn: Connection, portal_id: int, limits: list[AssociationLimit]) -> None:
    if not limits:
        return
    conn.execute(
        update(association_limits)
        .where(
            association_limits.c.portal_id == portal_id,
            association_limits.c.from_type == bindparam("from_type_"),
            association_limits.c.to_type == bindparam("to_type_"),
            association_limits.c.category == bindparam("category_"),
            association_limits.c.type_id == bindparam("type_id_"),
        )
        .values(max_to_object_ids=bindparam("max_")),
        [
            {
                "from_type_": limit.from_type,
                "to_type_": limit.to_type,
                "category_": CATEGORY_CODES[limit.category],
                "type_id_": limit.type_id,
                "max_": limit.max_to_object_ids,
            }
            for limit in limits
        ],
    )


def delete_limits(conn: Connection, portal_id: int, keys: Collection[TypeKey]) -> None:
    """Remove the custom limits of these directional types; missing ones are ignored."""
    if not keys:
        return
    columns = association_limits.c
    conn.execute(
        delete(association_limits).where(
            columns.portal_id == portal_id,
            tuple_(columns.from_type, columns.to_type, columns.category, columns.type_id).in_(
                [(f, t, CATEGORY_CODES[c], type_id) for f, t, c, type_id in keys]
            ),
        )
    )
