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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol

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
        return _sqlite_connections(engine).fetch_all(statement, params)
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


class _SqliteThreadConnections:
    """Connections of the engine's for each thread, kept out of the pool.

    A pool checkout and return (with its rollback) cost more than a primary-key read on
    SQLite (docs/performance.md). Reads here need none of it: in autocommit, each
    statement sees the latest committed snapshot (WAL), and a connection never leaves
    its thread. A write opens and ends its transaction within one call, on a connection
    of its own that never waits for the file's lock: a writer outside hubgraph's writer
    lock (the sqlite3 shell, say) makes it give up at once instead of holding the event
    loop for the busy timeout. They are closed when the engine is disposed, as the pool's
    are.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[Any] = []
        event.listen(engine, "engine_disposed", self._close_all)

    def fetch_all(self, statement: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        connection = getattr(self._local, "reader", None)
        if connection is None:
            connection = self._local.reader = self._connect()
        try:
            return connection.execute(statement, params).fetchall()  # type: ignore[no-any-return]
        except self._engine.dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(
                statement, None, exc, self._engine.dialect.loaded_dbapi.Error
            ) from exc

    def transaction(self, work: Callable[[Any], bool]) -> int | None:
        connection = getattr(self._local, "writer", None)
        if connection is None:
            connection = self._local.writer = self._connect()
            connection.execute("PRAGMA busy_timeout = 0")
        dbapi = self._engine.dialect.loaded_dbapi
        try:
            try:
                connection.execute("BEGIN IMMEDIATE")
            except dbapi.OperationalError as exc:
                if getattr(exc, "sqlite_errorcode", None) == dbapi.SQLITE_BUSY:
                    return None  # another writer has the file: nothing ran
                raise
            before: int = connection.total_changes
            try:
                wrote = work(connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            if not wrote:
                connection.execute("ROLLBACK")
                return None
            changed: int = connection.total_changes - before
            connection.execute("COMMIT")
            return changed
        except self._engine.dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(
                None, None, exc, self._engine.dialect.loaded_dbapi.Error
            ) from exc

    def _connect(self) -> Any:
        pooled = self._engine.raw_connection()  # the engine's settings (PRAGMAs) applied
        connection = pooled.driver_connection
        pooled.detach()
        with self._lock:
            self._open.append(connection)
        return connection

    def _close_all(self, _engine: Engine) -> None:
        with self._lock:
            connections, self._open = self._open, []
        self._local = threading.local()
        for connection in connections:
            connection.close()


# A statement sent whose rows are fetched when called.
PendingRows = Callable[[], list[tuple[Any, ...]]]


class StatementPipeline(Protocol):
    """Statements sent now, their rows fetched later (``statement_pipeline``)."""

    def send(
        self, by_dialect: Mapping[str, str], params: Mapping[str, Any], *, binary: bool = False
    ) -> PendingRows: ...


class _RunWhenSent:
    """``fetch_all`` of each statement as it is sent."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def send(
        self, by_dialect: Mapping[str, str], params: Mapping[str, Any], *, binary: bool = False
    ) -> PendingRows:
        rows = fetch_all(self._engine, by_dialect, params, binary=binary)
        return lambda: rows


def run_when_sent(engine: Engine) -> StatementPipeline:
    """A pipeline that runs each statement as it is sent, each on a pooled connection as
    ``fetch_all`` does."""
    return _RunWhenSent(engine)


class _PostgresqlPipeline:
    def __init__(self, connection: Any, error: type[Exception]) -> None:
        self._connection = connection
        self._error = error

    def send(
        self, by_dialect: Mapping[str, str], params: Mapping[str, Any], *, binary: bool = False
    ) -> PendingRows:
        statement = by_dialect["postgresql"]
        cursor = self._connection.cursor(binary=binary)
        try:
            cursor.execute(statement, params)
        except self._error as exc:
            cursor.close()
            raise DBAPIError.instance(statement, None, exc, self._error) from exc

        def rows() -> list[tuple[Any, ...]]:
            try:
                return list(cursor.fetchall())
            except self._error as exc:
                raise DBAPIError.instance(statement, None, exc, self._error) from exc
            finally:
                cursor.close()

        return rows


@contextmanager
def statement_pipeline(engine: Engine) -> Iterator[StatementPipeline]:
    """Statements on one connection, each sent at once and its rows fetched when asked:
    on PostgreSQL in psycopg's pipeline mode, so the server runs a statement while the
    caller is still busy with the rows of the one before (no transaction: each statement
    sees its own snapshot, as with ``fetch_all``). SQLite runs each statement when sent
    (it runs in this process; there is nothing to overlap)."""
    if engine.dialect.name == "sqlite":
        yield _RunWhenSent(engine)
        return
    error = engine.dialect.loaded_dbapi.Error
    connection = engine.raw_connection()
    raw = connection.driver_connection
    try:
        raw.autocommit = True  # type: ignore[union-attr]
        with raw.pipeline():  # type: ignore[union-attr]
            yield _PostgresqlPipeline(raw, error)
    except error as exc:  # a statement's error, raised as the pipeline ended
        raise DBAPIError.instance(None, None, exc, error) from exc
    finally:
        if raw is not None and not raw.closed:
            raw.autocommit = False  # as the pool's other users expect it
        connection.close()


def sqlite_transaction(engine: Engine, work: Callable[[Any], bool]) -> int | None:
    """SQLite: ``work`` given this thread's own write connection (sqlite3's) inside BEGIN
    IMMEDIATE; committed when it says it wrote (the rows it changed), rolled back when it
    says it did not (None) or raises, before this returns. None, with nothing run, when
    another connection holds the file's write lock. The caller holds hubgraph's writer
    lock (store/engine.py).
    """
    return _sqlite_connections(engine).transaction(work)


_connections: weakref.WeakKeyDictionary[Engine, _SqliteThreadConnections] = (
    weakref.WeakKeyDictionary()
)
_connections_lock = threading.Lock()


def _sqlite_connections(engine: Engine) -> _SqliteThreadConnections:
    found = _connections.get(engine)
    if found is None:
        with _connections_lock:
            found = _connections.get(engine) or _connections.setdefault(
                engine, _SqliteThreadConnections(engine)
            )
    return found
