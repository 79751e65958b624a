"""The seed scenario alone: the raw driver and the server, in alternating slices.

``python -m bench.seed --db sqlite|postgresql --scale quick|small|full [--slices N]``

The full bench (``python -m bench run``) writes the raw driver's rows, then the server's,
a minute apart; on a machine shared with other work the load can change between the two
and move the ratio by ±30% from one run to the next. Here both write the same rows in
``slices`` alternating parts (raw, server, raw, server, …), each continuing where its own
last part stopped, so both see the same share of every load the machine goes through.
SQLite: the raw driver writes into a fresh file with the same schema, as in the full
bench, and the server's database starts with no associations; PostgreSQL: both write on
top of the scale's preload, the raw driver's rows first.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from bench.data import DataSet
from bench.databases import fresh_database
from bench.latency import percentile
from bench.loader import Loader, prepare
from bench.profile import Profiler
from bench.run import RESULTS, _next_object_id
from bench.scales import SCALES, Scale
from bench.server import Server, cpu_seconds
from bench.workload import Client, Run, raw_postgres, raw_sqlite, run_batches, seed_endpoint


@dataclass
class Side:
    """One side's slices added up: associations, seconds, latencies, CPU seconds."""

    total: Run = field(default_factory=Run)
    parts: list[Run] = field(default_factory=list)
    cpu_seconds: float = 0.0

    def add(self, part: Run, cpu: float) -> None:
        self.parts.append(part)
        self.cpu_seconds += cpu
        self.total.count += part.count
        self.total.seconds += part.seconds
        self.total.latencies_ms += part.latencies_ms
        self.total.failures += part.failures

    @property
    def cpu_ms_per_1000(self) -> float:
        return 1e6 * self.cpu_seconds / max(1, self.total.count)


@dataclass
class Result:
    raw: Side
    api: Side
    load: tuple[float, float]
    profile: dict[str, object] | None = None

    @property
    def ratio(self) -> float:
        return self.api.total.per_second / self.raw.total.per_second

    def slice_ratios(self) -> list[float]:
        pairs = zip(self.raw.parts, self.api.parts, strict=True)
        return [a.per_second / r.per_second for r, a in pairs]


def measure(
    db: str,
    scale_name: str,
    workers: int = 2,
    slices: int = 10,
    profile: bool = False,
    results: Path = RESULTS,
) -> Result:
    scale = SCALES[(db, scale_name)]
    stamp = time.strftime("%Y%m%d-%H%M%S")
    results.mkdir(exist_ok=True)
    with fresh_database(db) as url, _raw_target(db, url) as raw_url:
        portal_id, token = prepare(url)
        data = DataSet(portal_id, _next_object_id(url, portal_id), scale.contacts, scale.companies)
        loader = Loader(url)
        loader.load_records(data)
        loader.load_associations(data, scale.preload)
        server = Server(url, workers, results / f"server-seed-{db}-{stamp}.log")
        server.start()
        try:
            profiler = Profiler(server, results / f"profile-seed-{db}-{stamp}.txt")
            raw_make = (raw_sqlite if db == "sqlite" else raw_postgres)(raw_url, data)
            api_make = seed_endpoint(server.port, token, data)
            load0 = os.getloadavg()[0]
            if profile:
                profiler.start()
            raw, api = _alternate(scale, slices, raw_make, api_make, server)
            summary = profiler.stop() if profile else None
            return Result(raw, api, (load0, os.getloadavg()[0]), summary)
        finally:
            server.stop()


@contextmanager
def _raw_target(db: str, url: str) -> Iterator[str]:
    """Where the raw driver writes: a fresh SQLite file, or PostgreSQL's own database."""
    if db != "sqlite":
        yield url
        return
    with fresh_database("sqlite") as other:
        prepare(other)
        yield other


def _alternate(
    scale: Scale,
    slices: int,
    raw_make: Callable[[], Client],
    api_make: Callable[[], Client],
    server: Server,
) -> tuple[Side, Side]:
    raw, api = Side(), Side()
    size = -(-scale.measured // slices)
    raw_k0, api_k0 = scale.preload, scale.preload + scale.measured
    for start in range(0, scale.measured, size):
        count = min(size, scale.measured - start)
        # The raw driver runs in this process: its CPU is the driver's and the rows'.
        cpu0 = time.process_time()
        part = run_batches(raw_make, raw_k0 + start, count, scale.batch_inputs, scale.clients)
        raw.add(part, time.process_time() - cpu0)
        before = {p: cpu_seconds(p) for p in server.worker_pids()}
        part = run_batches(api_make, api_k0 + start, count, scale.batch_inputs, scale.clients)
        used = sum(cpu_seconds(p) - before.get(p, 0.0) for p in server.worker_pids())
        api.add(part, used)
    return raw, api


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.seed")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--scale", choices=["smoke", "quick", "small", "full"], default="small")
    parser.add_argument("--workers", type=int, default=2, help="hubgraph serve --workers")
    parser.add_argument("--slices", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="py-spy the server's workers")
    args = parser.parse_args()
    result = measure(args.db, args.scale, args.workers, args.slices, args.profile)
    raw, api = result.raw.total, result.api.total
    console = Console(width=200)
    console.print(
        f"seed {api.per_second:,.0f}/s, raw {raw.per_second:,.0f}/s, ratio {result.ratio:.2f} "
        f"(slices {', '.join(f'{r:.2f}' for r in result.slice_ratios())}); "
        f"CPU per 1,000: server {result.api.cpu_ms_per_1000:.2f} ms, "
        f"raw driver's process {result.raw.cpu_ms_per_1000:.2f} ms; "
        f"p50 {percentile(api.latencies_ms, 50):.1f} ms (raw "
        f"{percentile(raw.latencies_ms, 50):.1f}); "
        f"load {result.load[0]:.2f} → {result.load[1]:.2f}; "
        f"failures {(api.failures + raw.failures)[:3]}"
    )
    if result.profile is not None:
        for name, share in result.profile["self_percent"][:20]:  # type: ignore[index]
            console.print(f"  {share:5.1f}%  {name}")


if __name__ == "__main__":
    main()
