"""USER_DEFINED association types (labels), per portal."""

from __future__ import annotations

from sqlalchemy import Connection, select

from hubgraph.domain.association_types import AssociationType
from hubgraph.store.associations import CATEGORIES_BY_CODE
from hubgraph.store.tables import association_types


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
