"""``hubgraph serve --workers N``: workers forked from a parent that imported the app once.

uvicorn starts its workers with multiprocessing's spawn: each is a fresh interpreter that
imports the CLI and the whole app again (~1.3 s of CPU each, both at once on a machine
with two cores) before it can answer (issue 16). Forked from a parent that has imported
the app, a worker only builds its app (``create_app_from_env``).

What a fork copies must be safe to copy, and is: the parent forks before it runs an event
loop and while it has no thread but its own (uvicorn's supervisor keeps it so); the
database connections it used to migrate are closed (``Services.close`` disposes the
engine) before it imports the app; each worker makes its own engine, pools, event loop
and threads after the fork.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing.context
import signal
import threading
from collections.abc import Iterator
from typing import Any

import uvicorn._subprocess

from hubgraph import metrics

# Those uvicorn's supervisor handles (uvicorn.supervisors.multiprocess.SIGNALS), but SIGINT.
_SUPERVISOR_SIGNALS = (
    signal.SIGTERM,
    signal.SIGHUP,
    signal.SIGQUIT,
    signal.SIGTTIN,
    signal.SIGTTOU,
    signal.SIGUSR1,
    signal.SIGUSR2,
    signal.SIGWINCH,
)


class _ForkedWorker(multiprocessing.context.ForkProcess):
    """A worker that starts, as a spawned one did, with Python's own signal handlers and
    metrics written to the workers' shared folder."""

    def run(self) -> None:
        # The supervisor's handlers (they queue signals for its loop) are copied too: a
        # worker sent SIGHUP or SIGQUIT ends, Ctrl-C during start-up interrupts, as before.
        for number in _SUPERVISOR_SIGNALS:
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        metrics.write_to_shared_folder()
        super().run()


class _ForkContext:
    """What uvicorn asks of its multiprocessing context: a ``Process`` class."""

    Process = _ForkedWorker


@contextlib.contextmanager
def forked_workers(workers: int) -> Iterator[None]:
    """uvicorn's workers started within are forked from this process.

    One worker is this process itself: nothing to do. Falls back to uvicorn's spawn when
    this process runs threads already, which a fork would leave holding copied locks.
    """
    if workers == 1 or threading.active_count() > 1:
        yield
        return
    # What the parent imported stays put: a worker's collections then never walk it, and
    # never write to (so never copy) its pages (Python's advice for forked servers): the
    # worker's app was ~0.1 s of CPU faster to build.
    gc.freeze()
    subprocess_module: Any = uvicorn._subprocess
    spawn = subprocess_module.spawn
    subprocess_module.spawn = _ForkContext()
    try:
        yield
    finally:
        subprocess_module.spawn = spawn
