"""Associations, stored once per direction (DESIGN §3)."""

from __future__ import annotations

from sqlalchemy import Connection, Insert
from sqlalchemy.dialects import postgresql, sqlite

from hubgraph.domain.association_types import Category
from hubgraph.domain.associations import Association
from hubgraph.store.tables import associations

CATEGORY_CODES: dict[Category, int] = {
    Category.HUBSPOT_DEFINED: 1,
    Category.USER_DEFINED: 2,
    Category.INTEGRATOR_DEFINED: 3,
}
CATEGORIES_BY_CODE = {code: category for category, code in CATEGORY_CODES.items()}


def _insert_ignoring_duplicates(conn: Connection) -> Insert:
    dialect = conn.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(associations).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(associations).on_conflict_do_nothing()
    raise NotImplementedError(dialect)


def insert_associations(
    conn: Connection, portal_id: int, rows: list[Association], now_ms: int
) -> None:
    """Insert rows that are not there yet; existing ones are left as they are.

    Rows go in primary-key order, so concurrent writers of overlapping rows take their
    index locks in the same order and cannot deadlock (PostgreSQL).
    """
    if not rows:
        return
    conn.execute(
        _insert_ignoring_duplicates(conn),
        [
            {
                "portal_id": portal_id,
                "from_type": r.from_type,
                "from_id": r.from_id,
                "to_type": r.to_type,
                "to_id": r.to_id,
                "category": CATEGORY_CODES[r.category],
                "type_id": r.type_id,
                "created_at": now_ms,
            }
            for r in sorted(rows, key=_key_order)
        ],
    )


def _key_order(r: Association) -> tuple[str, int, str, int, int, int]:
    return (r.from_type, r.from_id, r.to_type, r.to_id, CATEGORY_CODES[r.category], r.type_id)
