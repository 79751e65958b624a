"""Where a service call runs: inline on the event loop, or on a worker thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool

from hubgraph.services.context import Services

P = ParamSpec("P")
R = TypeVar("R")


async def run_read(
    services: Services, call: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs
) -> R:
    """A short read: inline on SQLite, on a worker thread on PostgreSQL.

    A SQLite read in WAL mode never waits for a lock and takes tens of microseconds,
    less than the two thread hops (and the event-loop wake-up) of sending it to a worker
    thread, which were a third of a primary-key GET (docs/performance.md). PostgreSQL's
    reads wait on the network, so they keep the thread.
    """
    if services.database.engine.dialect.name == "sqlite":
        return call(*args, **kwargs)
    return await run_in_threadpool(call, *args, **kwargs)
