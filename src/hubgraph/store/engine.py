"""The database engine and its transactions, for SQLite and PostgreSQL alike."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal, Protocol

import orjson
from sqlalchemy import Connection, Engine, event
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

from hubgraph.store.driver import sqlite_transaction
from hubgraph.store.journal import Change, close_journal, open_journal
from hubgraph.store.wal_checkpoint import BACKSTOP_PAGES, WalCheckpoint, changed_rows

if TYPE_CHECKING:
    from hubgraph.store.loop_reads import LoopReadPool

_WRITE = "hubgraph_write"


def _json_serializer(value: Any) -> str:
    return orjson.dumps(value).decode()


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` as users write it; SQLAlchemy needs the driver named."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


class ChangeListeners(Protocol):
    """Whether something must hear of this process's writes (app webhooks): set on the
    ``Database`` by the services that listen."""

    def __call__(self) -> bool:
        """The answer, reading the database when the last one is too old."""

    def known(self) -> bool | None:
        """The last answer while it is fresh, without reading anything; else None."""


class WriterLock:
    """Queues a SQLite file's writers, across threads and worker processes.

    SQLite lets one writer in at a time; a writer that finds the lock taken polls it with
    sleeps of up to 100 ms (busy_timeout), so under load the file sat idle between
    transactions. Here writers wait on a thread lock, then on ``flock`` of a file beside
    the database, and the kernel wakes the next one the moment the lock is released.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        self._thread_lock = threading.Lock()
        self._fd: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._thread_lock:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    @contextmanager
    def held_if_free(self) -> Iterator[bool]:
        """``held`` without waiting: False, and nothing held, while another writer (a
        thread here or another process) has the lock."""
        if not self._thread_lock.acquire(blocking=False):
            yield False
            return
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def writer_lock(url: str) -> WriterLock | None:
    """A lock for a SQLite file; None for PostgreSQL and in-memory SQLite."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return WriterLock(f"{parsed.database}-lock")


Pooler = Literal["none", "pgbouncer"]


def _postgres_connect_args(pooler: Pooler) -> dict[str, Any]:
    if pooler == "pgbouncer":
        # In transaction pooling mode each transaction may run on another server
        # connection: a statement prepared in one would be missing (or another one) in
        # the next, so psycopg must never prepare. pgbouncer also refuses the ``options``
        # startup parameter; without prepared statements every plan is made for the
        # actual values anyway, which is what force_custom_plan asks for below.
        return {"prepare_threshold": None}
    # psycopg prepares a statement after 5 runs, and PostgreSQL may then switch it to
    # a generic plan that ignores the parameters' values. For a batch's existence
    # check that plan scanned every record of the type and tested each against the
    # 2,000-id array: seconds instead of milliseconds (docs/performance.md). Plans
    # made for the actual values also suit portals of very different sizes.
    return {"options": "-c plan_cache_mode=force_custom_plan"}


def create_engine(
    url: str, *, busy_timeout_ms: int = 30_000, pool_size: int = 10, pooler: Pooler = "none"
) -> Engine:
    """``pooler``: what sits between us and PostgreSQL (docs/deploy.md); unused for SQLite."""
    url = normalise_url(url)
    if is_sqlite(url):
        return _sqlite_engine(url, busy_timeout_ms)
    engine = sa_create_engine(
        url,
        connect_args=_postgres_connect_args(pooler),
        pool_size=pool_size,
        max_overflow=pool_size,
        # A failed statement's exception (and so any log of it) must not carry the
        # parameters: record data, secrets' hashes (docs/reliability.md).
        hide_parameters=True,
        json_serializer=_json_serializer,
        json_deserializer=orjson.loads,
    )
    _ping_after_idle(engine)
    return engine


# A connection back in the pool for longer than this is pinged before it is handed out.
PING_AFTER_IDLE_SECONDS = 1.0


def _ping_after_idle(engine: Engine) -> None:
    """``pool_pre_ping``, but only for connections that sat idle.

    SQLAlchemy's pre-ping sent ``BEGIN`` + ``SELECT 1`` on every checkout, and so a
    ``ROLLBACK`` on every return: three of a single read's five waits on the server
    (docs/performance.md). A connection used within the last second was alive then; if
    the server went away since, the statement's disconnect error makes SQLAlchemy
    invalidate the pool, and only requests already under way see it.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return  # new, or just used
        try:
            dbapi_connection.autocommit = True  # one round trip, no transaction left open
            try:
                dbapi_connection.execute("SELECT 1")
            finally:
                dbapi_connection.autocommit = False
        except Exception as exc:
            # the pool throws this connection away and hands out a fresh one
            raise DisconnectionError(str(exc)) from exc


# Every SQLite connection's settings; bench/workload.py's raw driver takes the same.
# synchronous=NORMAL in WAL: a commit is in the WAL file before it is acknowledged, so it
# survives a crash of the server process (not, before the next checkpoint, of the OS).
SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL")


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    engine = sa_create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        hide_parameters=True,
        json_serializer=_json_serializer,
        json_deserializer=orjson.loads,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's own transaction handling defers it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        # Database.write checkpoints after releasing the writer lock (wal_checkpoint.py);
        # SQLite's own checkpoint, inside a COMMIT, is only the backstop.
        cursor.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer takes the write lock up front: a deferred transaction that later
        # upgrades can fail with SQLITE_BUSY without waiting for busy_timeout.
        if conn.get_execution_options().get(_WRITE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


class Database:
    """One engine and the two kinds of transaction the services use."""

    def __init__(
        self,
        engine: Engine,
        writer: WriterLock | None = None,
        loop_reads: LoopReadPool | None = None,
    ) -> None:
        self.engine = engine
        self._writer = writer
        # SQLite files only, as the writer lock: copies the WAL back outside that lock.
        self._checkpoint = None if writer is None else WalCheckpoint(engine)
        # PostgreSQL only: the fast lane's single-record reads, awaited on the event loop.
        self.loop_reads = loop_reads
        # Set by the services when something must hear of changes (app webhooks): whether
        # to journal this write, and what to do with the journal before it commits.
        self.listening: ChangeListeners | None = None
        self.before_commit: Callable[[Connection, list[Change]], None] | None = None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction whose writes commit together or not at all."""
        if self._writer is None:
            with self.engine.connect().execution_options(**{_WRITE: True}) as conn, conn.begin():
                yield from self._journaled(conn)
            return
        with (
            self._writer.held(),
            self.engine.connect().execution_options(**{_WRITE: True}) as conn,
            conn.begin(),
        ):
            changed = changed_rows(conn)
            yield from self._journaled(conn)
            changed = changed_rows(conn) - changed
        if self._checkpoint is not None:
            # committed, and the next writer already in: copy the WAL back meanwhile
            self._checkpoint.after_write(changed)

    def unheard_without_asking(self) -> bool:
        """True when nothing listens to changes, known without reading the database (the
        event loop must not wait for it): only then may a write skip ``write``'s journal."""
        return self.listening is None or self.listening.known() is False

    def write_now_if_free(self, work: Callable[[Any], bool]) -> bool:
        """SQLite: ``work`` given this thread's own sqlite3 connection in a transaction,
        committed before this returns when ``work`` says it wrote (store/driver.py). False,
        with nothing run, on PostgreSQL, while another writer holds the file, or while
        something listens to changes (a journaled write goes through ``write``).

        For the event loop's thread: a write that need not wait skips the worker thread's
        two hops, which cost more than the write itself (docs/performance.md).
        """
        if self._writer is None or not self.unheard_without_asking():
            return False
        with self._writer.held_if_free() as free:
            changed = sqlite_transaction(self.engine, work) if free else None
        if changed is None:
            return False
        if self._checkpoint is not None:
            self._checkpoint.after_write(changed, on_event_loop=True)
        return True

    def _journaled(self, conn: Connection) -> Iterator[Connection]:
        if self.listening is None or self.before_commit is None or not self.listening():
            yield conn
            return
        changes = open_journal(conn)
        try:
            yield conn
            if changes:
                self.before_commit(conn, changes)
        finally:
            close_journal(conn)

    def dispose(self) -> None:
        self.engine.dispose()
        if self._writer is not None:
            self._writer.close()
