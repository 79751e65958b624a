"""How long ``hubgraph serve`` takes to answer its first health check, against the time
to import the app alone, in the same run.

    .venv/bin/python -m bench.startup [--workers 1] [--rounds 7]

The database (a temp SQLite file) is created and migrated first, as a restart finds it;
then, in turn each round, ``python -c 'import hubgraph.app'`` and ``hubgraph serve``
(start to the first 200 from ``/_hubgraph/health``). Prints the medians, the ratio and
the load average. hubgraph's bytecode is compiled first (``compileall``), as a pip
install does: with ``PYTHONDONTWRITEBYTECODE`` set and an editable install, every start
would otherwise compile the source again.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hubgraph.testing import ServeProcess


def import_seconds() -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import hubgraph.app"], check=True)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.startup")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    import hubgraph

    compileall.compile_dir(Path(hubgraph.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'startup.db'}"
        ServeProcess(url).start(timeout=60).stop()  # creates, migrates, first portal
        load = os.getloadavg()[0]
        imports: list[float] = []
        ready: list[float] = []
        for _ in range(args.rounds):
            imports.append(import_seconds())
            server = ServeProcess(url, workers=args.workers).start(timeout=60)
            ready.append(server.seconds_to_healthy)
            server.stop()
    ready_s, import_s = statistics.median(ready), statistics.median(imports)
    print(
        f"serve --workers {args.workers} ready: median {ready_s:.3f} s "
        f"(min {min(ready):.3f}, max {max(ready):.3f}); import hubgraph.app: median "
        f"{import_s:.3f} s; ratio {ready_s / import_s:.2f}; load average "
        f"{load:.1f} → {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
