"""The seed scenario alone, the raw driver and the server in the same run, ``rounds`` times.

``python -m bench.seed --db sqlite|postgresql --scale quick|small|full [--rounds N]``

The full bench (``python -m bench run``) takes its seed row the same way, once, then
measures every single call; this stops after the seed so that a change to the bulk
write path can be compared several times in the time of one full run. SQLite: each
round writes the scale's associations into a fresh file through the raw driver, then
as many into the server's (emptied) database; PostgreSQL: after the scale's preload,
the raw driver's rows, then the server's, each round on top of the previous one.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import time
from dataclasses import replace

from rich.console import Console

from bench.data import DataSet
from bench.databases import fresh_database, sqlite_path
from bench.loader import Loader, prepare
from bench.run import RESULTS, Report, _next_object_id, _raw_insert_baseline, _seed_throughput
from bench.scales import SCALES
from bench.server import Server


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.seed")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--scale", choices=["smoke", "quick", "small", "full"], default="small")
    parser.add_argument("--workers", type=int, default=2, help="hubgraph serve --workers")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="py-spy the server's workers")
    args = parser.parse_args()
    scale = SCALES[(args.db, args.scale)]
    console = Console(width=200)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(exist_ok=True)
    with fresh_database(args.db) as url:
        portal_id, token = prepare(url)
        data = DataSet(portal_id, _next_object_id(url, portal_id), scale.contacts, scale.companies)
        loader = Loader(url)
        loader.load_records(data)
        loader.load_associations(data, scale.preload)
        loader.load_hub(data)
        server = Server(url, args.workers, RESULTS / f"server-seed-{args.db}-{stamp}.log")
        server.start()
        try:
            for n in range(args.rounds):
                if args.db == "sqlite":
                    _empty_sqlite(url)
                    scale_n = scale
                else:
                    # each round on top of the previous one's rows, the raw driver's first
                    scale_n = replace(scale, preload=scale.preload + 2 * n * scale.measured)
                load = os.getloadavg()
                cpu0 = time.process_time()
                baseline = _raw_insert_baseline(args.db, url, data, scale_n)
                # the raw driver's process: the driver's work and the rows' generation
                raw_cpu = 1e6 * (time.process_time() - cpu0) / max(1, baseline.count)
                report = Report(args.db, scale_n)
                _seed_throughput(
                    report, server, token, data, scale_n, baseline, args.profile, stamp
                )
                seed, cpu = report.rows[0], report.rows[3]
                console.print(
                    f"round {n + 1}: seed {seed.figure:,.0f}/s, raw {seed.baseline:,.0f}/s, "
                    f"ratio {seed.ratio:.2f}; server CPU {cpu.figure:.2f} ms/1,000 "
                    f"(raw driver's process {raw_cpu:.2f}); "
                    f"p50 {report.rows[1].figure:.1f} ms (raw {report.rows[1].baseline:.1f}); "
                    f"load {load[0]:.2f} → {os.getloadavg()[0]:.2f}; "
                    f"failures {report.facts.get('failures', [])}"
                )
                if "profile" in report.facts:
                    for name, share in report.facts["profile"]["self_percent"][:20]:
                        console.print(f"  {share:5.1f}%  {name}")
        finally:
            server.stop()


def _empty_sqlite(url: str) -> None:
    """Every association gone, so each round is again "empty → the scale's count"."""
    conn = sqlite3.connect(sqlite_path(url), isolation_level=None, timeout=30)
    try:
        conn.execute("DELETE FROM associations")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
    finally:
        conn.close()


if __name__ == "__main__":
    main()
