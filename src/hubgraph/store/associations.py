"""Associations, stored once per direction (DESIGN §3)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Insert,
    Integer,
    SmallInteger,
    String,
    Text,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY

from hubgraph import metrics
from hubgraph.domain.association_types import Category
from hubgraph.domain.associations import Association
from hubgraph.store.arrays import array_literal
from hubgraph.store.journal import AssociationChange, journal
from hubgraph.store.tables import associations, objects

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
    which skips SQLAlchemy's per-row parameter processing. On PostgreSQL rows go in
    primary-key order, so concurrent writers of overlapping rows take their index locks in
    the same order and cannot deadlock.
    """
    if not rows:
        return
    metrics.ASSOCIATION_ROWS_WRITTEN.inc(len(rows))
    changes = journal(conn)
    if changes is not None:
        existing = set(_existing_rows(conn, portal_id, rows))
        changes += [
            AssociationChange(portal_id, r, removed=False) for r in rows if r not in existing
        ]
    codes = CATEGORY_CODES
    if conn.dialect.name == "postgresql":
        rows = sorted(rows, key=_key_order)
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


# --- reads and deletes for the record-level v4 API ---------------------------------------

# A directed pair of records: (from_type, from_id, to_type, to_id).
RecordPair = tuple[str, int, str, int]


def _association(r: Any) -> Association:
    return Association(
        r.from_type,
        int(r.from_id),
        r.to_type,
        int(r.to_id),
        CATEGORIES_BY_CODE[r.category],
        r.type_id,
    )


# SQLite without statistics reads the archived records of a type through the primary key,
# so through every record of the type (a scan of a million companies for a page of ten);
# the partial index holds only the archived ones. SQLAlchemy renders no SQLite hints.
_SQLITE_ARCHIVED_IDS = text(
    "SELECT objects.id FROM objects INDEXED BY objects_archived "
    "WHERE objects.portal_id = :portal_id AND objects.object_type_id = :to_type "
    "AND objects.archived_at IS NOT NULL"
).columns(objects.c.id)


def archived_ids(dialect_name: str, portal_id: int | None, object_type_id: str | None) -> Any:
    """Ids of the archived records of one type: a small set, read through the partial
    index ``objects_archived`` (migration 0002) and hashed once, whatever the planner
    knows about the tables. None for a value binds ``portal_id`` / ``to_type`` instead
    (a statement built once)."""
    if dialect_name == "sqlite":
        if portal_id is None or object_type_id is None:
            return _SQLITE_ARCHIVED_IDS
        return _SQLITE_ARCHIVED_IDS.bindparams(portal_id=portal_id, to_type=object_type_id)
    return select(objects.c.id).where(
        objects.c.portal_id == (bindparam("portal_id") if portal_id is None else portal_id),
        objects.c.object_type_id
        == (bindparam("to_type") if object_type_id is None else object_type_id),
        objects.c.archived_at.is_not(None),
    )


def rows_between(
    conn: Connection,
    portal_id: int,
    from_type: str,
    to_type: str,
    pairs: Collection[tuple[int, int]],
) -> list[Association]:
    """Every stored row between the given (from_id, to_id) pairs, in both directions.

    One query per direction, matching (from_id, to_id) as row values: separate IN lists
    on the two columns make SQLite probe their cross product.
    """
    if not pairs:
        return []
    found: list[Association] = []
    for a_type, b_type, keys in (
        (from_type, to_type, sorted(pairs)),
        (to_type, from_type, sorted((b, a) for a, b in pairs)),
    ):
        rows = conn.execute(
            _ROWS_BETWEEN,
            {"portal_id": portal_id, "from_type": a_type, "to_type": b_type, "pairs": keys},
        )
        found += [_association(r) for r in rows]
    return found


_ROWS_BETWEEN = select(associations).where(
    associations.c.portal_id == bindparam("portal_id"),
    associations.c.from_type == bindparam("from_type"),
    associations.c.to_type == bindparam("to_type"),
    tuple_(associations.c.from_id, associations.c.to_id).in_(bindparam("pairs", expanding=True)),
)


def rows_of_type_from(
    conn: Connection,
    portal_id: int,
    from_type: str,
    from_ids: Collection[int],
    to_type: str,
    category: Category,
    type_id: int,
) -> list[Association]:
    """The rows of one type leaving the given records: one query."""
    if not from_ids:
        return []
    rows = conn.execute(
        select(associations).where(
            associations.c.portal_id == portal_id,
            associations.c.from_type == from_type,
            associations.c.from_id.in_(list(from_ids)),
            associations.c.to_type == to_type,
            associations.c.category == CATEGORY_CODES[category],
            associations.c.type_id == type_id,
        )
    )
    return [_association(r) for r in rows]


_DELETE_ROW = delete(associations).where(
    associations.c.portal_id == bindparam("p_portal_id"),
    associations.c.from_type == bindparam("p_from_type"),
    associations.c.from_id == bindparam("p_from_id"),
    associations.c.to_type == bindparam("p_to_type"),
    associations.c.to_id == bindparam("p_to_id"),
    associations.c.category == bindparam("p_category"),
    associations.c.type_id == bindparam("p_type_id"),
)

_DELETE_PAIR = delete(associations).where(
    associations.c.portal_id == bindparam("p_portal_id"),
    associations.c.from_type == bindparam("p_from_type"),
    associations.c.from_id == bindparam("p_from_id"),
    associations.c.to_type == bindparam("p_to_type"),
    associations.c.to_id == bindparam("p_to_id"),
)


def delete_associations(conn: Connection, portal_id: int, rows: Collection[Association]) -> None:
    """Delete exactly these rows: one executemany of a primary-key delete."""
    if not rows:
        return
    changes = journal(conn)
    if changes is not None:
        existing = _existing_rows(conn, portal_id, list(rows))
        changes += [AssociationChange(portal_id, r, removed=True) for r in existing]
    conn.execute(
        _DELETE_ROW,
        [
            {
                "p_portal_id": portal_id,
                "p_from_type": r.from_type,
                "p_from_id": r.from_id,
                "p_to_type": r.to_type,
                "p_to_id": r.to_id,
                "p_category": CATEGORY_CODES[r.category],
                "p_type_id": r.type_id,
            }
            for r in rows
        ],
    )


def delete_pairs(conn: Connection, portal_id: int, pairs: Collection[RecordPair]) -> None:
    """Delete every type between each directed pair (pass both directions to remove both)."""
    if not pairs:
        return
    changes = journal(conn)
    if changes is not None:
        changes += [
            AssociationChange(portal_id, r, removed=True)
            for r in _rows_of_pairs(conn, portal_id, pairs)
        ]
    conn.execute(
        _DELETE_PAIR,
        [
            {
                "p_portal_id": portal_id,
                "p_from_type": from_type,
                "p_from_id": from_id,
                "p_to_type": to_type,
                "p_to_id": to_id,
            }
            for from_type, from_id, to_type, to_id in pairs
        ],
    )


def page_of_associated(
    conn: Connection,
    portal_id: int,
    from_type: str,
    to_type: str,
    after_by_from: dict[int, int],
    page_size: int,
) -> list[Association]:
    """For each from-record, its rows to live records of ``to_type`` with to_id above its
    cursor, for at most ``page_size`` distinct to-records, ascending: one query for all.

    ``after_by_from`` maps each from_id to its cursor (0 for the first page).
    """
    if not after_by_from:
        return []
    categories = CATEGORIES_BY_CODE
    if len(after_by_from) == 1:
        # One record's page (GET list): a statement built once, only its values bound.
        # Building and keying the Core statement per call cost more than running it.
        ((from_id, after_id),) = after_by_from.items()
        one = conn.execute(
            _PAGE_OF_ONE[conn.dialect.name],
            {
                "portal_id": portal_id,
                "from_type": from_type,
                "to_type": to_type,
                "from_id": from_id,
                "after": after_id,
                "size": page_size,
            },
        )
        return [
            Association(from_type, from_id, to_type, to_id, categories[category], type_id)
            for from_id, to_id, category, type_id in one.cursor.fetchall()
        ]
    cursors = {f: a for f, a in after_by_from.items() if a}
    after = (
        case(
            *[(associations.c.from_id == f, a) for f, a in cursors.items()],
            else_=0,
        )
        if cursors
        else literal(0)
    )
    ranked = (
        select(
            associations.c.from_id,
            associations.c.to_id,
            associations.c.category,
            associations.c.type_id,
            func.dense_rank()
            .over(partition_by=associations.c.from_id, order_by=associations.c.to_id)
            .label("nth"),
        )
        .where(
            associations.c.portal_id == portal_id,
            associations.c.from_type == from_type,
            associations.c.to_type == to_type,
            associations.c.from_id.in_(list(after_by_from)),
            associations.c.to_id > after,
            associations.c.to_id.not_in(archived_ids(conn.dialect.name, portal_id, to_type)),
        )
        .subquery()
    )
    rows = conn.execute(
        select(ranked.c.from_id, ranked.c.to_id, ranked.c.category, ranked.c.type_id)
        .where(ranked.c.nth <= page_size)
        .order_by(ranked.c.from_id, ranked.c.to_id, ranked.c.category, ranked.c.type_id)
    )
    # Rows unpacked straight into Associations: a page can be 500,000 rows (batch read).
    # Fetched from the driver's cursor in one call: the four columns are plain integers,
    # which SQLAlchemy's per-row fetch would only wrap (a fifth of a list's time).
    return [
        Association(from_type, from_id, to_type, to_id, categories[category], type_id)
        for from_id, to_id, category, type_id in rows.cursor.fetchall()
    ]


def _page_of_one(dialect_name: str) -> Any:
    """``page_of_associated`` for one from-record, with every value a bound parameter."""
    a = associations.c
    archived = archived_ids(dialect_name, None, None)
    ranked = (
        select(
            a.from_id,
            a.to_id,
            a.category,
            a.type_id,
            func.dense_rank().over(partition_by=a.from_id, order_by=a.to_id).label("nth"),
        )
        .where(
            a.portal_id == bindparam("portal_id"),
            a.from_type == bindparam("from_type"),
            a.to_type == bindparam("to_type"),
            a.from_id == bindparam("from_id"),
            a.to_id > bindparam("after"),
            a.to_id.not_in(archived),
        )
        .subquery()
    )
    return (
        select(ranked.c.from_id, ranked.c.to_id, ranked.c.category, ranked.c.type_id)
        .where(ranked.c.nth <= bindparam("size"))
        .order_by(ranked.c.from_id, ranked.c.to_id, ranked.c.category, ranked.c.type_id)
    )


_PAGE_OF_ONE = {name: _page_of_one(name) for name in ("sqlite", "postgresql")}


def _key_order(r: Association) -> tuple[str, int, str, int, int, int]:
    return (r.from_type, r.from_id, r.to_type, r.to_id, CATEGORY_CODES[r.category], r.type_id)


def rows_touching(
    conn: Connection, portal_id: int, object_type_id: str, ids: Collection[int]
) -> list[Association]:
    """Every stored row from or to the records (both directions of their associations)."""
    if not ids:
        return []
    wanted = sorted(ids)
    outgoing = select(associations).where(
        associations.c.portal_id == portal_id,
        associations.c.from_type == object_type_id,
        associations.c.from_id.in_(wanted),
    )
    incoming = select(associations).where(
        associations.c.portal_id == portal_id,
        associations.c.to_type == object_type_id,
        associations.c.to_id.in_(wanted),
    )
    rows = {_association(r) for q in (outgoing, incoming) for r in conn.execute(q)}
    return sorted(rows, key=_key_order)


# --- the journal (app webhooks): which rows a write really adds or removes ---------------


def _existing_rows(conn: Connection, portal_id: int, rows: list[Association]) -> list[Association]:
    wanted = set(rows)
    by_types: dict[tuple[str, str], set[tuple[int, int]]] = {}
    for r in rows:
        by_types.setdefault((r.from_type, r.to_type), set()).add((r.from_id, r.to_id))
    found: set[Association] = set()
    for (from_type, to_type), pairs in by_types.items():
        found.update(rows_between(conn, portal_id, from_type, to_type, pairs))
    return [r for r in rows if r in found and r in wanted]


def _rows_of_pairs(
    conn: Connection, portal_id: int, pairs: Collection[RecordPair]
) -> list[Association]:
    by_types: dict[tuple[str, str], set[tuple[int, int]]] = {}
    for from_type, from_id, to_type, to_id in pairs:
        by_types.setdefault((from_type, to_type), set()).add((from_id, to_id))
    wanted = set(pairs)
    found: dict[Association, None] = {}
    for (from_type, to_type), ids in by_types.items():
        for r in rows_between(conn, portal_id, from_type, to_type, ids):
            if (r.from_type, r.from_id, r.to_type, r.to_id) in wanted:
                found[r] = None
    return list(found)


def association_rows_touching(
    conn: Connection, portal_id: int, object_type_id: str, ids: Collection[int]
) -> list[Association]:
    """Every row leaving or reaching the records: both sides of each of their associations."""
    query = select(associations).where(
        associations.c.portal_id == portal_id,
        or_(
            and_(associations.c.from_type == object_type_id, associations.c.from_id.in_(list(ids))),
            and_(associations.c.to_type == object_type_id, associations.c.to_id.in_(list(ids))),
        ),
    )
    return [_association(r) for r in conn.execute(query)]
