"""SQLite's WAL is copied back after a write has released the writer lock, not inside its
COMMIT, once enough rows have been written since the last time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from hubgraph.store.engine import Database, create_engine, writer_lock
from hubgraph.store.wal_checkpoint import BACKSTOP_PAGES, THRESHOLD_ROWS


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'hubgraph.db'}"
    database = Database(create_engine(url), writer_lock(url))
    with database.write() as conn:
        conn.execute(text("CREATE TABLE pages (n INTEGER PRIMARY KEY, body BLOB)"))
    yield database
    database.dispose()


def _write_rows(database: Database, first: int, count: int) -> None:
    """``count`` rows of nearly a page each: about as many WAL frames."""
    with database.write() as conn:
        conn.execute(
            text(
                "WITH RECURSIVE k(n) AS (SELECT :first UNION ALL SELECT n + 1 FROM k "
                "WHERE n + 1 < :first + :count) "
                "INSERT INTO pages (n, body) SELECT n, zeroblob(3900) FROM k"
            ),
            {"first": first, "count": count},
        )


def _checkpoint(database: Database) -> tuple[int, int]:
    """SQLite's own count: (frames in the WAL, frames copied back), after copying all."""
    pooled = database.engine.raw_connection()
    try:
        row = pooled.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()  # type: ignore[union-attr]
    finally:
        pooled.close()
    return int(row[1]), int(row[2])


def test_writes_below_the_threshold_leave_the_wal_to_grow(sqlite_file: Database) -> None:
    _checkpoint(sqlite_file)  # start from a copied-back WAL
    for i in range(3):
        _write_rows(sqlite_file, 100 * i, 100)
    frames, _ = _checkpoint(sqlite_file)
    # Nothing copied them back before this check: the WAL holds all three writes.
    assert frames >= 300


def test_a_write_past_the_threshold_is_copied_back_after_it_commits(
    sqlite_file: Database,
) -> None:
    _checkpoint(sqlite_file)
    _write_rows(sqlite_file, 0, THRESHOLD_ROWS + 200)
    # SQLite's own checkpoint would wait for BACKSTOP_PAGES; Database.write ran one, so
    # the next write starts the WAL again from its beginning.
    _write_rows(sqlite_file, THRESHOLD_ROWS + 200, 10)
    frames, copied = _checkpoint(sqlite_file)
    assert frames < 100
    assert copied == frames
    with sqlite_file.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM pages")).scalar() == THRESHOLD_ROWS + 210


def test_small_writes_add_up_to_a_checkpoint(sqlite_file: Database) -> None:
    _checkpoint(sqlite_file)
    step = THRESHOLD_ROWS // 4
    for i in range(4):  # the fourth reaches the threshold
        _write_rows(sqlite_file, step * i, step)
    _write_rows(sqlite_file, 4 * step, 10)
    frames, _ = _checkpoint(sqlite_file)
    assert frames < 100


def test_connections_take_the_backstop(sqlite_file: Database) -> None:
    with sqlite_file.read() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP_PAGES
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_the_event_loops_writes_count_too_and_checkpoint_on_a_thread(
    sqlite_file: Database,
) -> None:
    """``write_now_if_free`` (the event loop's PUT) adds its rows up as ``write`` does; the
    checkpoint then runs on a thread of its own, never on the loop."""
    _checkpoint(sqlite_file)
    ran_on: list[str] = []

    def rows(first: int, count: int) -> Callable[[Any], bool]:
        def work(connection: Any) -> bool:
            connection.execute(
                "WITH RECURSIVE k(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM k "
                "WHERE n + 1 < ? + ?) INSERT INTO pages (n, body) SELECT n, zeroblob(3900) FROM k",
                (first, first, count),
            )
            return True

        return work

    checkpoint = sqlite_file._checkpoint
    assert checkpoint is not None
    run = checkpoint.run

    def recorded() -> tuple[int, int, int]:
        ran_on.append(threading.current_thread().name)
        return run()

    checkpoint.run = recorded  # type: ignore[method-assign]
    assert sqlite_file.write_now_if_free(rows(0, THRESHOLD_ROWS + 200))
    for thread in threading.enumerate():
        if thread.name == "hubgraph-checkpoint":
            thread.join()
    assert ran_on == ["hubgraph-checkpoint"]
    assert sqlite_file.write_now_if_free(rows(THRESHOLD_ROWS + 200, 10))
    frames, _ = _checkpoint(sqlite_file)
    assert frames < 100  # copied back, so the WAL started again from its beginning
