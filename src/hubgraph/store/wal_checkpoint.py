"""SQLite's WAL checkpoint, run by a writer after it has let the next writer in.

SQLite checkpoints on its own inside the COMMIT that takes the WAL past
``wal_autocheckpoint`` pages: it copies the WAL's pages back into the database file and
syncs both files. Behind hubgraph's writer lock (``engine.WriterLock``) that COMMIT, and
so the whole checkpoint, ran while every other writer waited: most of a checkpoint is
waiting for the disk, and for a 2,000-input batch, whose 4,000 scattered rows fill more
than 1,000 pages, it ran after every batch (docs/performance.md, "Session 5"). Plain
SQLite connections do not have that wait: SQLite's own write lock is free again before
the checkpoint starts.

So the server's connections leave SQLite's own checkpoint as a backstop only (at
``BACKSTOP_PAGES``), and ``Database.write`` counts the rows its transactions changed
(SQLite's ``total_changes``); once ``THRESHOLD_ROWS`` have been written since the last
checkpoint, the writer runs a PASSIVE checkpoint after the writer lock is released, while
the next writer's statements run. Rows, not pages: the WAL's frame count is only in its
index (the ``-shm`` file), and opening that file from Python, even to read it, then
closing it drops every POSIX lock this process's SQLite connections hold on it (a
corruption SQLite's documentation warns of). A seed batch changes ~8,000 rows (its
temporary table's included) and fills ~3,000 pages: a checkpoint after each batch, as
before; a PUT changes 2 rows and fills a few pages: one every 500 PUTs, ~2,000 pages.
Durability is unchanged: a commit is in the WAL (synchronous=NORMAL) before it is
acknowledged, whenever the checkpoint runs.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Connection, Engine

log = logging.getLogger("hubgraph")

THRESHOLD_ROWS = 1000
# SQLite checkpoints inside COMMIT only if the WAL gets this far without us (rows much
# larger than a page, a process that writes without ``Database.write``): 40 MB at 4 KiB.
BACKSTOP_PAGES = 10_000


def changed_rows(conn: Connection) -> int:
    """Rows this connection has inserted, updated or deleted since it was opened."""
    return int(conn.connection.driver_connection.total_changes)  # type: ignore[union-attr]


class WalCheckpoint:
    """Checkpoints ``engine``'s SQLite file after writes, outside the writer lock."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._rows = 0  # changed since this process's last checkpoint
        # One checkpoint at a time in this process; another process's is SQLite's to
        # refuse (a PASSIVE checkpoint does not wait for a lock, it reports "busy").
        self._running = threading.Lock()

    def after_write(self, rows: int, *, on_event_loop: bool = False) -> None:
        """A write transaction that changed ``rows`` rows has committed. A checkpoint due
        after a write on the event loop runs on a thread of its own: it waits for the
        disk, which the loop must not."""
        with self._lock:
            self._rows += rows
            if self._rows < THRESHOLD_ROWS:
                return
        if on_event_loop:
            threading.Thread(target=self._checkpoint_once, name="hubgraph-checkpoint").start()
        else:
            self._checkpoint_once()

    def _checkpoint_once(self) -> None:
        if not self._running.acquire(blocking=False):
            return  # another thread of this process is copying the same frames back
        try:
            with self._lock:
                self._rows = 0
            self.run()
        except self._engine.dialect.loaded_dbapi.Error as exc:
            # The write has committed and must be answered as such; the next threshold
            # (or SQLite's backstop) copies the frames back.
            log.warning("WAL checkpoint after a write failed: %s", exc)
        finally:
            self._running.release()

    def run(self) -> tuple[int, int, int]:
        """A PASSIVE checkpoint: (busy, frames in the WAL, frames copied back)."""
        pooled = self._engine.raw_connection()
        try:
            # The pool's connections are in autocommit (engine.py): no transaction is
            # open around the checkpoint.
            row = pooled.driver_connection.execute(  # type: ignore[union-attr]
                "PRAGMA wal_checkpoint(PASSIVE)"
            ).fetchone()
        finally:
            pooled.close()
        busy, frames, copied = row
        return int(busy), int(frames), int(copied)
