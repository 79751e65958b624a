"""SQLite's writer lock without waiting, and a write run at once on the calling thread
(store/engine.py ``WriterLock.held_if_free``, ``Database.write_now_if_free``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import DBAPIError

from hubgraph.store.engine import Database, WriterLock, create_engine, writer_lock
from tests.support.listeners import FixedListeners
from tests.support.locks import held_by_another_thread


def test_the_lock_is_not_free_while_a_thread_or_another_process_holds_it(tmp_path: Path) -> None:
    path = str(tmp_path / "db-lock")
    here, elsewhere = WriterLock(path), WriterLock(path)  # two opens: as two processes
    with held_by_another_thread(here):
        with here.held_if_free() as free:
            assert free is False  # another thread of this process
        with elsewhere.held_if_free() as free:
            assert free is False  # the file's lock, as another process sees it
    with elsewhere.held_if_free() as free:
        assert free is True
        with here.held_if_free() as free_too:
            assert free_too is False
    with here.held_if_free() as free:
        assert free is True  # released on the way out
    here.close()
    elsewhere.close()


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'writes.db'}"
    database = Database(create_engine(url), writer_lock(url))
    with database.write() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER PRIMARY KEY)")
    yield database
    database.dispose()


def _count(database: Database) -> int:
    with database.read() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM t").scalar_one())


def _insert(x: int, wrote: bool = True) -> Callable[[Any], bool]:
    def work(connection: Any) -> bool:
        connection.execute("INSERT INTO t (x) VALUES (?)", (x,))
        return wrote

    return work


def test_a_write_commits_when_the_work_says_it_wrote(database: Database) -> None:
    assert database.write_now_if_free(_insert(1)) is True
    assert _count(database) == 1  # committed: another connection sees it
    assert database.write_now_if_free(_insert(2, wrote=False)) is False
    assert _count(database) == 1  # rolled back


def test_a_failed_write_rolls_back_and_leaves_no_transaction_open(database: Database) -> None:
    def twice(connection: Any) -> bool:
        connection.execute("INSERT INTO t (x) VALUES (5)")
        connection.execute("INSERT INTO t (x) VALUES (5)")
        return True

    with pytest.raises(DBAPIError) as raised:
        database.write_now_if_free(twice)
    assert isinstance(raised.value.orig, sqlite3.IntegrityError)
    assert _count(database) == 0
    assert database.write_now_if_free(_insert(6)) is True  # BEGIN works again
    assert _count(database) == 1


def test_nothing_runs_while_another_writer_holds_the_file(database: Database) -> None:
    assert database._writer is not None
    with held_by_another_thread(database._writer):
        assert database.write_now_if_free(_insert(1)) is False
    assert _count(database) == 0
    assert database.write_now_if_free(_insert(1)) is True


def test_nothing_runs_unless_nothing_is_known_to_listen(database: Database) -> None:
    database.before_commit = lambda _conn, _changes: None
    for answer in (True, None):  # listening, or not known without reading the database
        database.listening = FixedListeners(answer)
        assert database.write_now_if_free(_insert(1)) is False
    database.listening = FixedListeners(False)
    assert database.write_now_if_free(_insert(1)) is True
    assert _count(database) == 1


def test_without_a_writer_lock_nothing_runs() -> None:
    database = Database(create_engine("sqlite://"), writer_lock("sqlite://"))
    assert database.write_now_if_free(_insert(1)) is False
    database.dispose()


def test_a_writer_outside_hubgraphs_lock_makes_it_give_up_without_waiting(
    database: Database, tmp_path: Path
) -> None:
    """The sqlite3 shell, say: it holds the file's write lock but not hubgraph's. The
    engine's own writes would wait the busy timeout and then fail; this one is for the
    event loop, so it gives up at once, with nothing run, and the caller takes the
    worker thread."""
    outside = sqlite3.connect(tmp_path / "writes.db", isolation_level=None)
    outside.execute("BEGIN IMMEDIATE")
    try:
        assert database.write_now_if_free(_insert(1)) is False
    finally:
        outside.execute("ROLLBACK")
        outside.close()
    assert database.write_now_if_free(_insert(1)) is True
    assert _count(database) == 1
