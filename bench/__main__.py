"""``python -m bench run --db sqlite|postgresql --scale smoke|small|full``."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from bench.run import Report, run, write
from bench.search import run_search


def table(report: Report) -> Table:
    t = Table(title=f"hubgraph bench: {report.db}, scale {report.scale.name}")
    for column in ("scenario", "measure", "figure", "baseline", "ratio", "goal", "met", "note"):
        t.add_column(column)
    for r in report.rows:
        fmt = "{:,.0f}" if r.unit == "/s" else "{:,.2f}"
        t.add_row(
            r.scenario,
            r.measure,
            fmt.format(r.figure) + f" {r.unit}",
            "" if r.baseline is None else fmt.format(r.baseline) + f" ({r.baseline_name})",
            "" if r.ratio is None else f"{r.ratio:.2f}",
            r.goal,
            {True: "yes", False: "NO", None: ""}[r.met],
            r.note,
        )
    return t


def cluster_main(node_counts: list[int], associations: int) -> None:
    from bench import cluster

    rows = cluster.run(node_counts, cluster.ClusterScale(associations=associations))
    t = Table(title="hubgraph cluster bench: HAProxy, N nodes, pgbouncer, one PostgreSQL")
    for column in (
        "nodes",
        "seed assoc/s",
        "seed CPU ms/1k assoc",
        "calls/s",
        "PUT p50/p99",
        "GET p50/p99",
        "CPU ms/1k calls",
    ):
        t.add_column(column)
    for r in rows:
        t.add_row(
            str(r["nodes"]),
            f"{r['seed_per_second']:,}",
            ", ".join(f"{k} {v}" for k, v in r["seed_cpu_ms_per_1000"].items()),
            f"{r['single_calls_per_second']:,}",
            f"{r['put_p50_ms']}/{r['put_p99_ms']} ms",
            f"{r['get_p50_ms']}/{r['get_p99_ms']} ms",
            ", ".join(f"{k} {v}" for k, v in r["single_cpu_ms_per_1000_calls"].items()),
        )
    console = Console(width=240)
    console.print(t)
    console.print(f"written: {cluster.write(rows)}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    sub = parser.add_subparsers(dest="command", required=True)
    go = sub.add_parser("run", help="run every scenario against a fresh database")
    go.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    go.add_argument("--scale", choices=["smoke", "quick", "small", "full"], default="small")
    go.add_argument("--workers", type=int, default=2, help="hubgraph serve --workers")
    go.add_argument("--profile", action="store_true", help="py-spy the bulk load")
    nodes = sub.add_parser("cluster", help="seed + single calls through HAProxy, 1/2/4 nodes")
    nodes.add_argument("--nodes", default="1,2,4", help="node counts, comma-separated")
    nodes.add_argument("--associations", type=int, default=100_000)
    find = sub.add_parser("search", help="the CRM search scenario against a fresh database")
    find.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    find.add_argument("--contacts", type=int, default=100_000)
    find.add_argument("--requests", type=int, default=500, help="timed requests per search")
    find.add_argument("--workers", type=int, default=2, help="hubgraph serve --workers")
    args = parser.parse_args()
    if args.command == "cluster":
        cluster_main([int(n) for n in args.nodes.split(",")], args.associations)
        return
    if args.command == "search":
        report = run_search(args.db, args.contacts, args.requests, args.workers)
        Console(width=240).print(table(report))
        Console().print(f"facts: {report.facts}")
        Console().print(f"written: {write(report)}")
        return
    report = run(args.db, args.scale, args.workers, args.profile)
    console = Console(width=240)
    console.print(table(report))
    for key, value in report.facts.items():
        if key != "profile":
            console.print(f"{key}: {value}")
    if "profile" in report.facts:
        profile = report.facts["profile"]
        console.print(f"profile: {profile['samples']} samples; top self time:")
        for name, share in profile["self_percent"][:15]:
            console.print(f"  {share:5.1f}%  {name}")
    console.print(f"written: {write(report)}")


if __name__ == "__main__":
    main()
