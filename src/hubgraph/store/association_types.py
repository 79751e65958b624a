"""USER_DEFINED association types (labels), per portal."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, and_, bindparam, delete, exists, insert, or_, select, update

from hubgraph.domain.association_types import AssociationType, Category
from hubgraph.domain.label_type_ids import next_free_run
from hubgraph.store.associations import CATEGORIES_BY_CODE, CATEGORY_CODES
from hubgraph.store.tables import (
    association_type_sequences,
    association_types,
    associations,
    portals,
)

USER_DEFINED = CATEGORY_CODES[Category.USER_DEFINED]
FIRST_TYPE_ID = 1


def user_defined_types(conn: Connection, portal_id: int) -> list[AssociationType]:
    rows = conn.execute(select(association_types).where(association_types.c.portal_id == portal_id))
    return [
        AssociationType(
            category=CATEGORIES_BY_CODE[r.category],
            type_id=r.type_id,
            from_type=r.from_type,
            to_type=r.to_type,
            label=r.label,
            inverse_type_id=r.inverse_type_id,
        )
        for r in rows
    ]


def named_user_defined_types(
    conn: Connection, portal_id: int
) -> list[tuple[AssociationType, str, int]]:
    """The portal's USER_DEFINED types with their internal name and creation time."""
    rows = conn.execute(
        select(association_types)
        .where(association_types.c.portal_id == portal_id)
        .order_by(association_types.c.type_id)
    )
    return [
        (
            AssociationType(
                category=CATEGORIES_BY_CODE[r.category],
                type_id=r.type_id,
                from_type=r.from_type,
                to_type=r.to_type,
                label=r.label,
                inverse_type_id=r.inverse_type_id,
            ),
            r.name,
            r.created_at,
        )
        for r in rows
    ]


def lock_portal_labels(conn: Connection, portal_id: int) -> None:
    """Serialise label changes of one portal until commit (the count cap, the id counter).

    PostgreSQL: a row lock on the portal. SQLite: writers already hold the database lock.
    """
    conn.execute(select(portals.c.id).where(portals.c.id == portal_id).with_for_update())


def share_portal_labels(conn: Connection, portal_id: int) -> None:
    """Keep the portal's labels from changing until commit, while records are written
    with them: a label deleted meanwhile would leave associations of a type that is gone.

    PostgreSQL: ``FOR KEY SHARE`` on the portal row. It conflicts with the label changes'
    ``FOR UPDATE`` only: writers do not wait for each other, nor for record creation (whose
    id counter update takes ``FOR NO KEY UPDATE``). Call before reading the labels.
    SQLite: writers already hold the database lock.
    """
    conn.execute(
        select(portals.c.id)
        .where(portals.c.id == portal_id)
        .with_for_update(read=True, key_share=True)
    )


def allocate_type_ids(conn: Connection, portal_id: int, count: int) -> list[int]:
    """``count`` consecutive typeIds never used before in this portal and never defined by
    HubSpot (domain/label_type_ids.py); call it under the portal's label lock."""
    current = conn.execute(
        select(association_type_sequences.c.next_type_id).where(
            association_type_sequences.c.portal_id == portal_id
        )
    ).scalar()
    ids = next_free_run(FIRST_TYPE_ID if current is None else int(current), count)
    if current is None:
        conn.execute(
            insert(association_type_sequences).values(portal_id=portal_id, next_type_id=ids[-1] + 1)
        )
    else:
        conn.execute(
            update(association_type_sequences)
            .where(association_type_sequences.c.portal_id == portal_id)
            .values(next_type_id=ids[-1] + 1)
        )
    return ids


def names_between(conn: Connection, portal_id: int, a: str, b: str) -> set[str]:
    """Internal names of the labels joining object types a and b, either way."""
    rows = conn.execute(
        select(association_types.c.name).where(
            association_types.c.portal_id == portal_id,
            or_(
                and_(association_types.c.from_type == a, association_types.c.to_type == b),
                and_(association_types.c.from_type == b, association_types.c.to_type == a),
            ),
        )
    )
    return {name for (name,) in rows}


def insert_types(
    conn: Connection, portal_id: int, types: list[AssociationType], name: str, now_ms: int
) -> None:
    conn.execute(
        insert(association_types),
        [
            {
                "portal_id": portal_id,
                "category": USER_DEFINED,
                "type_id": t.type_id,
                "from_type": t.from_type,
                "to_type": t.to_type,
                "name": name,
                "label": t.label,
                "inverse_type_id": t.inverse_type_id,
                "created_at": now_ms,
            }
            for t in types
        ],
    )


def set_labels(conn: Connection, portal_id: int, labels: dict[int, str]) -> None:
    """Change the display text of USER_DEFINED types: typeId → new label."""
    if not labels:
        return
    conn.execute(
        update(association_types)
        .where(
            association_types.c.portal_id == portal_id,
            association_types.c.category == USER_DEFINED,
            association_types.c.type_id == bindparam("type_id_"),
        )
        .values(label=bindparam("label_")),
        [{"type_id_": type_id, "label_": label} for type_id, label in labels.items()],
    )


def delete_types(conn: Connection, portal_id: int, type_ids: Collection[int]) -> None:
    conn.execute(
        delete(association_types).where(
            association_types.c.portal_id == portal_id,
            association_types.c.category == USER_DEFINED,
            association_types.c.type_id.in_(list(type_ids)),
        )
    )


def in_use(conn: Connection, portal_id: int, types: Collection[AssociationType]) -> bool:
    """Whether any stored association, of any record, carries one of these types."""
    return any(_carried(conn, portal_id, t) for t in types)


def _carried(conn: Connection, portal_id: int, t: AssociationType) -> bool:
    # An indexed probe: the associations key starts with portal_id and from_type.
    probe = exists().where(
        associations.c.portal_id == portal_id,
        associations.c.from_type == t.from_type,
        associations.c.to_type == t.to_type,
        associations.c.category == CATEGORY_CODES[t.category],
        associations.c.type_id == t.type_id,
    )
    return bool(conn.execute(select(probe)).scalar())
