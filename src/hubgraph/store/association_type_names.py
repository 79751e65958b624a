"""The internal ``name`` of a portal's USER_DEFINED labels (objects v3 reads show it)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, select

from hubgraph.domain.association_types import Category
from hubgraph.store.associations import CATEGORY_CODES
from hubgraph.store.tables import association_types


def user_defined_names(
    conn: Connection, portal_id: int, type_ids: Collection[int]
) -> dict[int, str]:
    """typeId → name for the given USER_DEFINED typeIds: one query."""
    if not type_ids:
        return {}
    rows = conn.execute(
        select(association_types.c.type_id, association_types.c.name).where(
            association_types.c.portal_id == portal_id,
            association_types.c.category == CATEGORY_CODES[Category.USER_DEFINED],
            association_types.c.type_id.in_(sorted(type_ids)),
        )
    )
    return {int(r.type_id): str(r.name) for r in rows}
