"""A portal's data, table by table, without knowing what each table means.

"Portal data" is every table keyed by ``portal_id`` except the portal's credentials
(``tokens``): records, associations, labels, limits, and whatever table is added later.
Rows travel as plain dicts of column name to JSON value, so a column another engineer
adds is carried along by snapshots, exports and imports without a change here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)

from hubgraph.store.portals import FIRST_OBJECT_ID
from hubgraph.store.tables import metadata, objects, portals

# Credentials belong to the portal, not to its data: a reset keeps them, a dump leaves
# them out (a dump is something people pass around).
NOT_PORTAL_DATA = frozenset({"tokens"})
ASSOCIATIONS = "associations"

STREAM_BATCH = 1000


class RowRejected(ValueError):
    """A row that cannot go into its table; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class PortalState:
    name: str
    next_object_id: int


def portal_data_tables() -> list[Table]:
    return [
        t for t in metadata.sorted_tables if "portal_id" in t.c and t.name not in NOT_PORTAL_DATA
    ]


def portal_data_table(name: str) -> Table | None:
    return next((t for t in portal_data_tables() if t.name == name), None)


def data_columns(table: Table) -> list[Column[Any]]:
    return [c for c in table.c if c.name != "portal_id"]


def portal_state(conn: Connection, portal_id: int) -> PortalState | None:
    row = conn.execute(
        select(portals.c.name, portals.c.next_object_id).where(portals.c.id == portal_id)
    ).first()
    return None if row is None else PortalState(row.name, int(row.next_object_id))


def set_next_object_id(conn: Connection, portal_id: int, next_object_id: int) -> None:
    conn.execute(
        update(portals).where(portals.c.id == portal_id).values(next_object_id=next_object_id)
    )


def next_free_object_id(conn: Connection, portal_id: int, at_least: int) -> int:
    """The counter value that hands out no id already used by a record of the portal."""
    highest = conn.execute(
        select(func.max(objects.c.id)).where(objects.c.portal_id == portal_id)
    ).scalar()
    return max(at_least, FIRST_OBJECT_ID if highest is None else int(highest) + 1)


def count_rows(conn: Connection, portal_id: int, table: Table) -> int:
    return int(
        conn.execute(
            select(func.count()).select_from(table).where(table.c.portal_id == portal_id)
        ).scalar_one()
    )


def has_data(conn: Connection, portal_id: int) -> bool:
    return any(
        conn.execute(select(t.c.portal_id).where(t.c.portal_id == portal_id).limit(1)).first()
        for t in portal_data_tables()
    )


def iter_rows(conn: Connection, portal_id: int, table: Table) -> Iterator[dict[str, Any]]:
    """The table's rows for this portal in key order, fetched in batches (streamed)."""
    columns = data_columns(table)
    result = conn.execution_options(yield_per=STREAM_BATCH).execute(
        select(*columns)
        .where(table.c.portal_id == portal_id)
        .order_by(*[c for c in table.primary_key.columns if c.name != "portal_id"])
    )
    names = [c.name for c in columns]
    for row in result:
        yield {name: _encode(value) for name, value in zip(names, row, strict=True)}


def delete_portal_data(conn: Connection, portal_id: int) -> dict[str, int]:
    """Delete every data row of the portal; the counts per table."""
    deleted: dict[str, int] = {}
    for table in portal_data_tables():
        result = conn.execute(delete(table).where(table.c.portal_id == portal_id))
        deleted[table.name] = int(result.rowcount)
    set_next_object_id(conn, portal_id, FIRST_OBJECT_ID)
    return deleted


def insert_rows(conn: Connection, portal_id: int, table: Table, rows: list[dict[str, Any]]) -> None:
    """One bulk insert of rows already checked by ``decode_row``."""
    if rows:
        conn.execute(insert(table), [{**row, "portal_id": portal_id} for row in rows])


def decode_row(table: Table, row: object) -> dict[str, Any]:
    """Check a row against the table's columns and turn JSON values into column values."""
    if not isinstance(row, Mapping):
        raise RowRejected(f"a {table.name} row must be a JSON object")
    columns = {c.name: c for c in data_columns(table)}
    unknown = sorted(set(row) - set(columns))
    if unknown:
        raise RowRejected(f"{table.name} has no column {', '.join(map(repr, unknown))}")
    decoded: dict[str, Any] = {}
    for name, column in columns.items():
        if name not in row:
            if _required(column):
                raise RowRejected(f"{table.name} row lacks {name!r}")
            continue
        decoded[name] = _decode(table, column, row[name])
    return decoded


def _required(column: Column[Any]) -> bool:
    return not column.nullable and column.default is None and column.server_default is None


def _decode(table: Table, column: Column[Any], value: Any) -> Any:
    where = f"{table.name}.{column.name}"
    if value is None:
        if not column.nullable:
            raise RowRejected(f"{where} must not be null")
        return None
    kind = column.type
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise RowRejected(f"{where} must be true or false, not {value!r}")
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise RowRejected(f"{where} must be an integer, not {value!r}")
        return value
    if isinstance(kind, DateTime | Date):
        try:
            parsed = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise RowRejected(f"{where} must be an ISO-8601 date, not {value!r}") from None
        return parsed if isinstance(kind, DateTime) else parsed.date()
    if isinstance(kind, String):
        if not isinstance(value, str):
            raise RowRejected(f"{where} must be a string, not {value!r}")
        if kind.length is not None and len(value) > kind.length:
            raise RowRejected(f"{where} is longer than {kind.length} characters")
        return value
    return value


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
