"""``python -m bench cluster``: the seed endpoint and single calls through HAProxy, with 1,
2 and 4 nodes on one PostgreSQL (scripts/cluster's topology), and the CPU each part used.

Throughput on a small machine is capped by its cores, which every process shares; the
CPU each part spends per 1,000 associations (per 1,000 calls) is what sizes a deployment:
nodes per database core, and where the next bottleneck is (docs/deploy.md).
"""

from __future__ import annotations

import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import psycopg

from bench.data import DataSet
from bench.databases import driver_url
from bench.latency import percentile
from bench.loader import Loader, prepare
from bench.server import cpu_seconds
from bench.workload import Http, run_batches, seed_endpoint
from hubgraph.testing.cluster import Cluster

RESULTS = Path(__file__).parent / "results"


@dataclass(frozen=True)
class ClusterScale:
    contacts: int = 20_000
    companies: int = 2_000
    associations: int = 100_000  # through the seed endpoint, per node count
    batch_inputs: int = 1_000
    clients: int = 8
    single_calls: int = 2_000  # PUT …/associations/default/… then GET, each


@dataclass
class CpuMeter:
    """CPU seconds used by the nodes, pgbouncer, HAProxy and this database's backends."""

    cluster: Cluster
    database: str
    start: dict[str, dict[int, float]] = field(default_factory=dict)
    seen: dict[str, dict[int, float]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def pids(self) -> dict[str, list[int]]:
        state = self.cluster.state
        groups = {
            "nodes": [n.process.pid for n in state.nodes if n.process is not None],
            "pgbouncer": [s.pid for s in state.services if s.name == "pgbouncer"],
            "haproxy": [s.pid for s in state.services if s.name == "haproxy"],
        }
        with psycopg.connect(driver_url(state.database_url), autocommit=True) as conn:
            rows = conn.execute(
                # Client backends only: autovacuum's work after a load is not a request's.
                "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                (self.database,),
            ).fetchall()
        groups["postgresql"] = [int(r[0]) for r in rows]
        return groups

    def _sample(self) -> None:
        for group, pids in self.pids().items():
            for pid in pids:
                used = cpu_seconds(pid)
                self.start.setdefault(group, {}).setdefault(pid, used)
                self.seen.setdefault(group, {})[pid] = used

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self._sample()

    def __enter__(self) -> CpuMeter:
        self._sample()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._sample()

    def used(self) -> dict[str, float]:
        return {
            group: sum(used - self.start[group].get(pid, 0.0) for pid, used in pids.items())
            for group, pids in self.seen.items()
        }


def run(node_counts: list[int], scale: ClusterScale) -> list[dict[str, Any]]:
    rows = []
    for nodes in node_counts:
        with tempfile.TemporaryDirectory(prefix="hubgraph-cluster-bench-") as state_dir:
            cluster = Cluster.up(Path(state_dir), nodes=nodes)
            try:
                rows.append(_measure(cluster, nodes, scale))
            finally:
                cluster.down()
    return rows


def _measure(cluster: Cluster, nodes: int, scale: ClusterScale) -> dict[str, Any]:
    url = cluster.state.database_url
    database = url.rsplit("/", 1)[1]
    portal_id, token = prepare(url)
    with psycopg.connect(driver_url(url)) as conn:
        row = conn.execute("SELECT next_object_id FROM portals WHERE id = %s", (portal_id,))
        first_id = int(row.fetchone()[0])  # type: ignore[index]
    data = DataSet(portal_id, first_id, scale.contacts, scale.companies)
    Loader(url).load_records(data)
    _settle(url)
    port = cluster.state.balancer_port

    with CpuMeter(cluster, database) as seed_cpu:
        seeded = run_batches(
            seed_endpoint(port, token, data),
            0,
            scale.associations,
            scale.batch_inputs,
            scale.clients,
        )
    _settle(url)
    fresh = scale.associations + 10
    with CpuMeter(cluster, database) as single_cpu:
        puts, gets, seconds = _single_calls(port, token, data, fresh, scale)
    seed_used = seed_cpu.used()
    single_used = single_cpu.used()
    per_thousand = 1000 / max(1, seeded.count)
    calls = len(puts) + len(gets)
    return {
        "nodes": nodes,
        "seed_per_second": round(seeded.per_second),
        "seed_p50_ms": round(percentile(seeded.latencies_ms, 50), 1),
        "seed_failures": len(seeded.failures),
        "seed_cpu_ms_per_1000": {
            k: round(v * 1000 * per_thousand, 1) for k, v in seed_used.items()
        },
        "single_calls_per_second": round(calls / seconds),
        "put_p50_ms": round(percentile(puts, 50), 2),
        "put_p99_ms": round(percentile(puts, 99), 2),
        "get_p50_ms": round(percentile(gets, 50), 2),
        "get_p99_ms": round(percentile(gets, 99), 2),
        "single_cpu_ms_per_1000_calls": {
            k: round(v * 1000 * 1000 / max(1, calls), 1) for k, v in single_used.items()
        },
    }


def _settle(url: str) -> None:
    """VACUUM ANALYZE now, so autovacuum does not do it during the next measurement."""
    with psycopg.connect(driver_url(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def _single_calls(
    port: int, token: str, data: DataSet, fresh: int, scale: ClusterScale
) -> tuple[list[float], list[float], float]:
    """``clients`` threads: one PUT (default association) then one GET of it, each timed."""
    puts: list[float] = []
    gets: list[float] = []
    lock = threading.Lock()
    per_client = scale.single_calls // scale.clients

    def client(c: int) -> None:
        http = Http(port, token)
        try:
            for i in range(per_client):
                contact, company = data.pair(fresh + c * per_client + i)
                path = (
                    f"/crm/v4/objects/contacts/{contact}/associations/default/companies/{company}"
                )
                t0 = time.perf_counter()
                status, body = http.request("PUT", path)
                t1 = time.perf_counter()
                assert status == 200, body[:200]
                status, body = http.request(
                    "GET", f"/crm/v4/objects/contacts/{contact}/associations/companies"
                )
                t2 = time.perf_counter()
                assert status == 200, body[:200]
                with lock:
                    puts.append((t1 - t0) * 1000)
                    gets.append((t2 - t1) * 1000)
        finally:
            http.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(c,)) for c in range(scale.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return puts, gets, time.perf_counter() - began


def write(rows: list[dict[str, Any]], results: Path = RESULTS) -> Path:
    results.mkdir(exist_ok=True)
    path = results / f"cluster-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_bytes(orjson.dumps(rows, option=orjson.OPT_INDENT_2))
    return path
