"""The seed scenario alone: the raw driver and the server, in alternating slices.

``python -m bench.seed --db sqlite|postgresql --scale quick|small|full [--slices N]``

The full bench (``python -m bench run``) writes the raw driver's rows, then the server's,
a minute apart; on a machine shared with other work the load can change between the two
and move the ratio by ±50% from one run to the next. Here both write the same rows in
``slices`` alternating parts (raw, server, raw, server, …), each continuing where its own
last part stopped, so both see the same share of every load the machine goes through
and their ratio holds still enough to compare a change. SQLite: the raw driver writes
into a fresh file with the same schema, as in the full bench, and the server's database
starts with no associations; PostgreSQL: both write on top of the scale's preload.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.seed")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--scale", choices=["smoke", "quick", "small", "full"], default="small")
    parser.add_argument("--workers", type=int, default=2, help="hubgraph serve --workers")
    parser.add_argument("--slices", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="py-spy the server's workers")
    args = parser.parse_args()
    scale = SCALES[(args.db, args.scale)]
    stamp = time.strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(exist_ok=True)
    console = Console(width=200)
    with fresh_database(args.db) as url, _raw_target(args.db, url) as raw_url:
        portal_id, token = prepare(url)
        data = DataSet(portal_id, _next_object_id(url, portal_id), scale.contacts, scale.companies)
        loader = Loader(url)
        loader.load_records(data)
        loader.load_associations(data, scale.preload)
        server = Server(url, args.workers, RESULTS / f"server-seed-{args.db}-{stamp}.log")
        server.start()
        profiler = Profiler(server, RESULTS / f"profile-seed-{args.db}-{stamp}.txt")
        try:
            raw_make = (raw_sqlite if args.db == "sqlite" else raw_postgres)(raw_url, data)
            api_make = seed_endpoint(server.port, token, data)
            load0 = os.getloadavg()[0]
            if args.profile:
                profiler.start()
            raw, api, raw_cpu, api_cpu = _alternate(scale, args.slices, raw_make, api_make, server)
            profile = profiler.stop() if args.profile else None
        finally:
            server.stop()
    console.print(
        f"seed {api.per_second:,.0f}/s, raw {raw.per_second:,.0f}/s, "
        f"ratio {api.per_second / raw.per_second:.2f} "
        f"(slices {', '.join(f'{r:.2f}' for r in _slice_ratios(raw, api))}); "
        f"CPU per 1,000: server {1e6 * api_cpu / api.count:.2f} ms, "
        f"raw driver's process {1e6 * raw_cpu / raw.count:.2f} ms; "
        f"p50 {percentile(api.latencies_ms, 50):.1f} ms (raw "
        f"{percentile(raw.latencies_ms, 50):.1f}); load {load0:.2f} → {os.getloadavg()[0]:.2f}; "
        f"failures {(api.failures + raw.failures)[:3]}"
    )
    if profile is not None:
        for name, share in profile["self_percent"][:20]:  # type: ignore[index]
            console.print(f"  {share:5.1f}%  {name}")


@contextmanager
def _raw_target(db: str, url_hint: str) -> Iterator[str]:
    """Where the raw driver writes: a fresh SQLite file, or PostgreSQL's own database."""
    if db != "sqlite":
        yield url_hint
        return
    with fresh_database("sqlite") as other:
        prepare(other)
        yield other


_slices: dict[int, list[tuple[float, float]]] = {}


def _alternate(
    scale: Scale,
    slices: int,
    raw_make: Callable[[], Client],
    api_make: Callable[[], Client],
    server: Server,
) -> tuple[Run, Run, float, float]:
    raw, api = Run(), Run()
    raw_cpu = api_cpu = 0.0
    size = -(-scale.measured // slices)
    # PostgreSQL: the raw driver's rows first after the preload, then the server's.
    raw_k0 = scale.preload
    api_k0 = scale.preload + scale.measured
    for i in range(slices):
        start, count = i * size, min(size, scale.measured - i * size)
        if count <= 0:
            break
        cpu0 = time.process_time()
        part = run_batches(raw_make, raw_k0 + start, count, scale.batch_inputs, scale.clients)
        raw_cpu += time.process_time() - cpu0
        _add(raw, part)
        before = {p: cpu_seconds(p) for p in server.worker_pids()}
        part = run_batches(api_make, api_k0 + start, count, scale.batch_inputs, scale.clients)
        api_cpu += sum(cpu_seconds(p) - before.get(p, 0.0) for p in server.worker_pids())
        _add(api, part)
    return raw, api, raw_cpu, api_cpu


def _add(total: Run, part: Run) -> None:
    total.count += part.count
    total.seconds += part.seconds
    total.latencies_ms += part.latencies_ms
    total.failures += part.failures
    _slices.setdefault(id(total), []).append((part.count, part.seconds))


def _slice_ratios(raw: Run, api: Run) -> list[float]:
    pairs = zip(_slices[id(raw)], _slices[id(api)], strict=True)
    return [(a_n / a_s) / (r_n / r_s) for (r_n, r_s), (a_n, a_s) in pairs]


if __name__ == "__main__":
    main()
