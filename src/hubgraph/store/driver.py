"""One statement on a pooled driver connection, for the hottest reads.

Going through a SQLAlchemy ``Connection`` costs a transaction (BEGIN, COMMIT) and a
statement's compile-cache lookup, result wrapping and events per call: 70 µs of CPU for a
GET by id on SQLite, seven times the statement itself (docs/performance.md). A single
read needs none of it: each statement sees one snapshot, and the pool rolls the
connection back when it returns. Statements are written with ``:name`` parameters and
given to each driver in its own style.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError

_NAMED = re.compile(r"(?<![:\w]):(\w+)")


def psycopg_style(sql: str) -> str:
    """``:name`` parameters as psycopg takes them, ``%(name)s`` (and a literal ``%`` doubled)."""
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


def statements(sql: str) -> dict[str, str]:
    """``sql`` for each dialect: sqlite3 takes ``:name`` as written."""
    return {"sqlite": sql, "postgresql": psycopg_style(sql)}


def fetch_all(
    engine: Engine,
    by_dialect: Mapping[str, str],
    params: Mapping[str, Any],
    *,
    binary: bool = False,
) -> list[tuple[Any, ...]]:
    """The statement's rows, as the driver's tuples. ``binary``: PostgreSQL sends the
    columns in its binary format (for many integer columns, a third less CPU to load;
    only where every column loads to the same Python value either way)."""
    statement = by_dialect[engine.dialect.name]
    if engine.dialect.name == "sqlite":
        return _sqlite_reader(engine).fetch_all(statement, params)
    connection = engine.raw_connection()
    try:
        # No BEGIN before the statement, no ROLLBACK after it: one round trip.
        connection.driver_connection.autocommit = True  # type: ignore[union-attr]
        raw = connection.driver_connection
        cursor = raw.cursor(binary=True) if binary else connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(statement, params)
            return list(cursor.fetchall())
        finally:
            cursor.close()
    except engine.dialect.loaded_dbapi.Error as exc:
        # the driver's own error, past SQLAlchemy: raised as an execute would have
        raise DBAPIError.instance(statement, None, exc, engine.dialect.loaded_dbapi.Error) from exc
    finally:
        raw = connection.driver_connection
        if raw is not None and not raw.closed:
            raw.autocommit = False  # as the pool's other users expect it
        connection.close()


class _SqliteReader:
    """A connection of the engine's for each thread that reads, kept out of the pool.

    A pool checkout and return (with its rollback) cost more than a primary-key read on
    SQLite (docs/performance.md). Reads here need none of it: in autocommit, each
    statement sees the latest committed snapshot (WAL), and a connection never leaves
    its thread. They are closed when the engine is disposed, as the pool's are.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[Any] = []
        event.listen(engine, "engine_disposed", self._close_all)

    def fetch_all(self, statement: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._connect()
        try:
            return connection.execute(statement, params).fetchall()  # type: ignore[no-any-return]
        except self._engine.dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(
                statement, None, exc, self._engine.dialect.loaded_dbapi.Error
            ) from exc

    def _connect(self) -> Any:
        pooled = self._engine.raw_connection()  # the engine's settings (PRAGMAs) applied
        connection = pooled.driver_connection
        pooled.detach()
        self._local.connection = connection
        with self._lock:
            self._open.append(connection)
        return connection

    def _close_all(self, _engine: Engine) -> None:
        with self._lock:
            connections, self._open = self._open, []
        self._local = threading.local()
        for connection in connections:
            connection.close()


_readers: weakref.WeakKeyDictionary[Engine, _SqliteReader] = weakref.WeakKeyDictionary()
_readers_lock = threading.Lock()


def _sqlite_reader(engine: Engine) -> _SqliteReader:
    reader = _readers.get(engine)
    if reader is None:
        with _readers_lock:
            reader = _readers.get(engine) or _readers.setdefault(engine, _SqliteReader(engine))
    return reader
