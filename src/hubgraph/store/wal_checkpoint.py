"""SQLite's WAL checkpoint, run by a writer after it has let the next writer in.

SQLite checkpoints on its own inside the COMMIT that takes the WAL past
``wal_autocheckpoint`` pages: it copies the WAL's pages back into the database file and
syncs both files. Behind hubgraph's writer lock (``engine.WriterLock``) that COMMIT, and
so the whole checkpoint, ran while every other writer waited: most of a checkpoint is
waiting for the disk, and for a 2,000-input batch, whose 4,000 scattered rows fill more
than 1,000 pages, it ran after every batch (half of a batch's wall time at 1M stored,
docs/performance.md). Plain SQLite connections do not have that wait: SQLite's own
write lock is free again before the checkpoint starts.

So the server's connections leave SQLite's own checkpoint as a backstop only (at
``BACKSTOP_PAGES``), and after each write transaction, once the writer lock is released,
the writer looks at how many WAL frames are not yet copied back and, past
``THRESHOLD_PAGES`` (SQLite's default), runs a PASSIVE checkpoint: the same work SQLite
would have done, while the next writer's statements run. Durability is unchanged: a
commit is in the WAL (synchronous=NORMAL) before it is acknowledged, whenever the
checkpoint runs.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

from sqlalchemy import Engine

log = logging.getLogger("hubgraph")

# SQLite's default wal_autocheckpoint: the WAL is copied back as often as before.
THRESHOLD_PAGES = 1000
# SQLite checkpoints inside COMMIT only if the WAL gets this far without us (e.g. a
# process that writes without ``Database.write``): 40 MB at 4 KiB pages.
BACKSTOP_PAGES = 10_000

# The wal-index (the "-shm" file; https://www.sqlite.org/walformat.html) starts with its
# header: mxFrame, the WAL's last valid frame, at byte 16; its checkpoint information
# follows two copies of the 48-byte header: nBackfill, the frames already copied back,
# at byte 96. Both are 32-bit integers in the machine's byte order.
_MX_FRAME = slice(16, 20)
_N_BACKFILL = slice(96, 100)
_HEADER_BYTES = 100


def pending_frames(shm_path: str) -> int | None:
    """WAL frames not yet copied back into the database; None if the file is unreadable.

    Read without SQLite's locks: a value torn by a concurrent writer only moves one
    checkpoint earlier or later.
    """
    try:
        fd = os.open(shm_path, os.O_RDONLY)
    except OSError:
        return None
    try:
        header = os.pread(fd, _HEADER_BYTES, 0)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(header) < _HEADER_BYTES:
        return None
    mx_frame = int.from_bytes(header[_MX_FRAME], sys.byteorder)
    backfilled = int.from_bytes(header[_N_BACKFILL], sys.byteorder)
    return max(0, mx_frame - backfilled)


class WalCheckpoint:
    """Checkpoints ``engine``'s SQLite file after writes, outside the writer lock."""

    def __init__(self, engine: Engine, database_path: str) -> None:
        self._engine = engine
        self._shm = f"{database_path}-shm"
        # One checkpoint at a time in this process; another process's is SQLite's to
        # refuse (a PASSIVE checkpoint does not wait for a lock, it reports "busy").
        self._running = threading.Lock()

    def after_write(self) -> None:
        pending = pending_frames(self._shm)
        if pending is None or pending < THRESHOLD_PAGES:
            return
        if not self._running.acquire(blocking=False):
            return  # another thread of this process is copying the same frames back
        try:
            self.run()
        except self._engine.dialect.loaded_dbapi.Error as exc:
            # The write has committed and must be answered as such; SQLite's backstop
            # checkpoint (or the next write's attempt) copies the frames back.
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
