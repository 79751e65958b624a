"""A portal's data, table by table, without knowing what each table means.

"Portal data" is every table keyed by ``portal_id`` except the portal's credentials
(``tokens``): records, associations, labels, limits, and whatever table is added later.
Rows travel as plain dicts of column name to JSON value, so a column another engineer
adds is carried along by snapshots, exports and imports without a change here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    SmallInteger,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError

from hubgraph.store.portals import FIRST_OBJECT_ID
from hubgraph.store.tables import metadata, objects, portals

# Credentials belong to the portal, not to its data: a reset keeps them, a dump leaves
# them out (a dump is something people pass around).
# Credentials and settings stay with the portal through a reset, and never enter a
# snapshot or an export: a dump must not carry (even hashed) secrets.
NOT_PORTAL_DATA = frozenset(
    {
        "tokens",
        "oauth_apps",
        "oauth_codes",
        "oauth_access_tokens",
        "oauth_refresh_tokens",
        "portal_rate_limits",
        # webhook deliveries are the server's work queue, not the portal's data
        "webhook_events",
        "webhook_attempts",
        "webhook_event_sequences",
    }
)
ASSOCIATIONS = "associations"

STREAM_BATCH = 1000


class RowRejected(ValueError):
    """A row that cannot go into its table; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class PortalState:
    name: str
    next_object_id: int


def portal_data_tables() -> list[Table]:
    """Records first, so a dump reads top-down; the rest by name."""
    found = [t for t in metadata.tables.values() if "portal_id" in t.c]
    found = [t for t in found if t.name not in NOT_PORTAL_DATA]
    return sorted(found, key=lambda t: (t.name != objects.name, t.name))


def data_columns(table: Table) -> list[Column[Any]]:
    return [c for c in table.c if c.name != "portal_id"]


@contextmanager
def consistent_read(engine: Engine) -> Iterator[Connection]:
    """A read transaction that sees one moment, so counts and rows agree.

    SQLite's read transactions already do (WAL); PostgreSQL's default, READ COMMITTED,
    sees each statement's own moment, so ask for REPEATABLE READ.
    """
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        yield conn


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
    names = [str(c.name) for c in columns]
    for row in result:
        yield {name: _encode(value) for name, value in zip(names, row, strict=True)}


def delete_portal_data(conn: Connection, portal_id: int) -> dict[str, int]:
    """Delete every data row of the portal; the counts per table."""
    deleted: dict[str, int] = {}
    for table in portal_data_tables():
        result = conn.execute(delete(table).where(table.c.portal_id == portal_id))
        deleted[str(table.name)] = int(result.rowcount)
    set_next_object_id(conn, portal_id, FIRST_OBJECT_ID)
    return deleted


def insert_rows(conn: Connection, portal_id: int, table: Table, rows: list[dict[str, Any]]) -> None:
    """Bulk insert rows already checked by a ``RowCodec``."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        _copy_rows(conn, portal_id, table, rows)
    else:
        conn.execute(insert(table), [{**row, "portal_id": portal_id} for row in rows])


def _copy_rows(conn: Connection, portal_id: int, table: Table, rows: list[dict[str, Any]]) -> None:
    # psycopg's executemany sends one INSERT per row; COPY is one stream, several times
    # faster, and runs on the same connection, inside the caller's transaction.
    quote = conn.dialect.identifier_preparer.quote
    columns = [c for c in table.c if c.name == "portal_id" or c.name in rows[0]]
    names = ", ".join(quote(c.name) for c in columns)
    is_json = [isinstance(c.type, JSON) for c in columns]
    driver = conn.connection.driver_connection
    assert driver is not None
    statement = f"COPY {quote(table.name)} ({names}) FROM STDIN"
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                values = [portal_id if c.name == "portal_id" else row.get(c.name) for c in columns]
                copy.write_row(
                    [
                        orjson.dumps(v).decode() if j and v is not None else v
                        for v, j in zip(values, is_json, strict=True)
                    ]
                )
    except conn.dialect.loaded_dbapi.Error as exc:
        # the driver's own error, past SQLAlchemy: raise it as executemany would have
        raise DBAPIError.instance(statement, None, exc, conn.dialect.loaded_dbapi.Error) from exc


class RowCodec:
    """Checks rows against one table's columns and turns JSON values into column values.

    Built once per table and load: the per-row work is a dict walk and a type check.
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        self.name = str(table.name)
        self._columns = [
            (str(c.name), _decoder(self.name, c), _required(c), _defaulted(c))
            for c in data_columns(table)
        ]
        self._names = frozenset(column[0] for column in self._columns)

    def decode(self, row: object) -> dict[str, Any]:
        if not isinstance(row, dict):
            raise RowRejected(f"a {self.name} row must be a JSON object")
        if not self._names.issuperset(row):
            unknown = sorted(set(row) - self._names)
            raise RowRejected(f"{self.name} has no column {', '.join(map(repr, unknown))}")
        decoded: dict[str, Any] = {}
        for name, decode, required, defaulted in self._columns:
            if name in row:
                decoded[name] = decode(row[name])
            elif required:
                raise RowRejected(f"{self.name} row lacks {name!r}")
            elif not defaulted:
                # every row names every column, so a chunk is one uniform bulk insert
                decoded[name] = None
        return decoded


def row_codecs() -> dict[str, RowCodec]:
    return {str(t.name): RowCodec(t) for t in portal_data_tables()}


def _defaulted(column: Column[Any]) -> bool:
    return column.default is not None or column.server_default is not None


def _required(column: Column[Any]) -> bool:
    return not column.nullable and not _defaulted(column)


def _decoder(table_name: str, column: Column[Any]) -> Callable[[Any], Any]:
    where = f"{table_name}.{column.name}"
    nullable = bool(column.nullable)
    kind = column.type
    check: Callable[[Any], Any]
    if isinstance(kind, JSON):
        return lambda value: value
    if isinstance(kind, Boolean):
        check = _typed(where, bool, "true or false")
    elif isinstance(kind, Integer):
        check = _integer(where, _integer_bits(kind))
    elif isinstance(kind, DateTime | Date):
        check = _date(where, as_date=not isinstance(kind, DateTime))
    elif isinstance(kind, String):
        check = _string(where, kind.length)
    else:
        return lambda value: value

    def decode(value: Any) -> Any:
        if value is None:
            if not nullable:
                raise RowRejected(f"{where} must not be null")
            return None
        return check(value)

    return decode


def _typed(where: str, wanted: type, described: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        # type(), not isinstance(): JSON's true is not the integer 1 here
        if type(value) is not wanted:
            raise RowRejected(f"{where} must be {described}, not {value!r}")
        return value

    return check


def _integer_bits(kind: Integer) -> int:
    if isinstance(kind, BigInteger):
        return 64
    return 16 if isinstance(kind, SmallInteger) else 32


def _integer(where: str, bits: int) -> Callable[[Any], Any]:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def check(value: Any) -> Any:
        if type(value) is not int:
            raise RowRejected(f"{where} must be an integer, not {value!r}")
        if not low <= value <= high:
            raise RowRejected(f"{where} must fit in {bits} bits, not {value}")
        return value

    return check


def _string(where: str, length: int | None) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if type(value) is not str:
            raise RowRejected(f"{where} must be a string, not {value!r}")
        if length is not None and len(value) > length:
            raise RowRejected(f"{where} is longer than {length} characters")
        return value

    return check


def _date(where: str, *, as_date: bool) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        try:
            parsed = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise RowRejected(f"{where} must be an ISO-8601 date, not {value!r}") from None
        return parsed.date() if as_date else parsed

    return check


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
