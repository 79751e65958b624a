"""SQLite's WAL is copied back after a write has released the writer lock, not inside its
COMMIT, and only once it holds SQLite's usual amount of pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from hubgraph.store.engine import Database, create_engine, writer_lock
from hubgraph.store.wal_checkpoint import BACKSTOP_PAGES, THRESHOLD_PAGES, pending_frames


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[tuple[Database, str]]:
    path = str(tmp_path / "hubgraph.db")
    url = f"sqlite:///{path}"
    database = Database(create_engine(url), writer_lock(url))
    with database.write() as conn:
        conn.execute(text("CREATE TABLE pages (n INTEGER PRIMARY KEY, body BLOB)"))
    yield database, path
    database.dispose()


def _write_pages(database: Database, first: int, count: int) -> None:
    """About ``count`` WAL frames: one row of nearly a page each."""
    with database.write() as conn:
        conn.execute(
            text(
                "WITH RECURSIVE k(n) AS (SELECT :first UNION ALL SELECT n + 1 FROM k "
                "WHERE n + 1 < :first + :count) "
                "INSERT INTO pages (n, body) SELECT n, zeroblob(3900) FROM k"
            ),
            {"first": first, "count": count},
        )


def _wal_frames(database: Database) -> int:
    """A checkpoint: the frames in the WAL, as SQLite reports them, all copied back."""
    pooled = database.engine.raw_connection()
    try:
        row = pooled.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()  # type: ignore[union-attr]
    finally:
        pooled.close()
    assert row[1] == row[2]  # nothing else reads or writes: every frame copied back
    return int(row[1])


def test_small_writes_leave_the_wal_to_grow(sqlite_file: tuple[Database, str]) -> None:
    database, path = sqlite_file
    _wal_frames(database)  # start from a copied-back WAL
    for i in range(3):
        _write_pages(database, 10 * i, 10)
    pending = pending_frames(f"{path}-shm")
    assert pending is not None
    assert 30 <= pending < THRESHOLD_PAGES


def test_the_shm_header_counts_the_frames_sqlite_has_not_copied_back(
    sqlite_file: tuple[Database, str],
) -> None:
    database, path = sqlite_file
    _wal_frames(database)
    _write_pages(database, 0, 50)
    # The WAL restarts with that write: nothing of it is copied back yet.
    pending = pending_frames(f"{path}-shm")
    assert pending == _wal_frames(database)
    assert pending_frames(f"{path}-shm") == 0


def test_a_write_past_the_threshold_is_copied_back_after_it_commits(
    sqlite_file: tuple[Database, str],
) -> None:
    database, path = sqlite_file
    _write_pages(database, 0, THRESHOLD_PAGES + 200)
    # SQLite's own checkpoint would wait for BACKSTOP_PAGES; Database.write ran one.
    assert pending_frames(f"{path}-shm") == 0
    with database.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM pages")).scalar() == THRESHOLD_PAGES + 200


def test_connections_take_the_backstop(
    sqlite_file: tuple[Database, str],
) -> None:
    database, _ = sqlite_file
    with database.read() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP_PAGES
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_no_shm_file_is_no_count(tmp_path: Path) -> None:
    assert pending_frames(str(tmp_path / "missing.db-shm")) is None
    short = tmp_path / "short.db-shm"
    short.write_bytes(b"\0" * 40)
    assert pending_frames(str(short)) is None
