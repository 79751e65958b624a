"""Waiting for a thread to block on a database lock (PostgreSQL row-lock tests), and
holding SQLite's writer lock from another thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from hubgraph.services.context import Services
from hubgraph.store.engine import WriterLock


def wait_until_blocked_or_done(services: Services, writer: threading.Thread) -> bool:
    """True once another session of this database waits on a lock; False if the writer
    finished without ever waiting."""
    probe = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(2000):  # a bound against hanging, not a timing assertion
        if not writer.is_alive():
            return False
        with services.database.read() as conn:
            if conn.execute(probe).scalar_one():
                return True
        time.sleep(0.005)
    return False


@contextmanager
def held_by_another_thread(lock: WriterLock) -> Iterator[None]:
    """``lock`` held by a thread of its own until the block ends."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock.held():
            taken.set()
            release.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert taken.wait(10)
        yield
    finally:
        release.set()
        holder.join()
