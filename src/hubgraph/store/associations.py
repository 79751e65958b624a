"""Associations, stored once per direction (DESIGN §3)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Connection,
    Insert,
    Integer,
    SmallInteger,
    String,
    Text,
    bindparam,
    cast,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY

from hubgraph.domain.association_types import Category
from hubgraph.domain.associations import Association
from hubgraph.store.arrays import array_literal
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


# The columns that vary per row; portal_id and created_at are one value per batch.
_ROW_COLUMNS = ("from_type", "from_id", "to_type", "to_id", "category", "type_id")
_ROW_TYPES = (String, BigInteger, String, BigInteger, SmallInteger, Integer)


def _unnest_insert() -> Insert:
    """PostgreSQL: a whole batch as one statement with one array per column."""
    unnested = (
        func.unnest(
            *[
                cast(bindparam(c, type_=Text), ARRAY(t))
                for c, t in zip(_ROW_COLUMNS, _ROW_TYPES, strict=True)
            ]
        )
        .table_valued(*_ROW_COLUMNS)
        .render_derived()
    )
    rows = select(
        bindparam("portal_id", type_=BigInteger),
        *[unnested.c[c] for c in _ROW_COLUMNS],
        bindparam("created_at", type_=BigInteger),
    )
    return (
        postgresql.insert(associations)
        .from_select(["portal_id", *_ROW_COLUMNS, "created_at"], rows)
        .on_conflict_do_nothing()
    )


_PG_UNNEST_INSERT = _unnest_insert()

_sqlite_insert_sql: dict[str, str] = {}


def _sqlite_insert(conn: Connection) -> str:
    """The Core statement compiled once; its ``?`` placeholders follow the table's columns."""
    key = conn.dialect.name
    if key not in _sqlite_insert_sql:
        compiled = _insert_ignoring_duplicates(conn).compile(
            dialect=conn.dialect, column_keys=[c.name for c in associations.columns]
        )
        assert compiled.positiontup == [c.name for c in associations.columns]
        _sqlite_insert_sql[key] = str(compiled)
    return _sqlite_insert_sql[key]


def insert_associations(
    conn: Connection, portal_id: int, rows: list[Association], now_ms: int
) -> None:
    """Insert rows that are not there yet; existing ones are left as they are.

    One bulk write per batch, shaped for each database (docs/performance.md): PostgreSQL
    gets one ``INSERT … SELECT FROM unnest(…)``; SQLite one executemany of plain tuples,
    which skips SQLAlchemy's per-row parameter processing.
    """
    if not rows:
        return
    codes = CATEGORY_CODES
    if conn.dialect.name == "postgresql":
        conn.execute(
            _PG_UNNEST_INSERT,
            {
                "portal_id": portal_id,
                "created_at": now_ms,
                "from_type": array_literal([r.from_type for r in rows]),
                "from_id": array_literal([r.from_id for r in rows]),
                "to_type": array_literal([r.to_type for r in rows]),
                "to_id": array_literal([r.to_id for r in rows]),
                "category": array_literal([codes[r.category] for r in rows]),
                "type_id": array_literal([r.type_id for r in rows]),
            },
        )
        return
    conn.exec_driver_sql(
        _sqlite_insert(conn),
        [
            (
                portal_id,
                r.from_type,
                r.from_id,
                r.to_type,
                r.to_id,
                codes[r.category],
                r.type_id,
                now_ms,
            )
            for r in rows
        ],
    )
