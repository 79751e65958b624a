"""One benchmark run: fresh database, bulk load, real server, every scenario, a report."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bench import latency
from bench.data import HUB_ASSOCIATIONS, DataSet
from bench.databases import fresh_database
from bench.latency import RawReader, expect, has, percentile, served, timed
from bench.loader import Loader, prepare, progress
from bench.profile import Profiler
from bench.scales import SCALES, Scale
from bench.server import RssSampler, Server
from bench.workload import Http, raw_postgres, raw_sqlite, run_batches, seed_endpoint

RESULTS = Path(__file__).parent / "results"


@dataclass
class Row:
    scenario: str
    measure: str
    figure: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    goal: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if not self.baseline:
            return None
        return self.figure / self.baseline


@dataclass
class Report:
    db: str
    scale: Scale
    rows: list[Row] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        self.rows.append(row)


def run(db: str, scale_name: str, workers: int, profile: bool, results: Path = RESULTS) -> Report:
    scale = SCALES[(db, scale_name)]
    report = Report(db, scale)
    results.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    with fresh_database(db) as url:
        portal_id, token = prepare(url)
        first_id = _next_object_id(url, portal_id)
        data = DataSet(portal_id, first_id, scale.contacts, scale.companies)
        loader = Loader(url)
        t0 = time.perf_counter()
        loader.load_records(data)
        loader.load_associations(data, scale.preload)
        loader.load_hub(data)
        report.facts["bulk_load_seconds"] = round(time.perf_counter() - t0, 1)
        report.facts["records"] = data.record_count
        report.facts["preloaded_associations"] = scale.preload + HUB_ASSOCIATIONS

        baseline = _raw_insert_baseline(db, url, data, scale)
        server = Server(url, workers, results / f"server-{db}-{stamp}.log")
        startup_baseline = _import_seconds()
        started = server.start()
        try:
            report.add(
                Row(
                    "hubgraph serve start → healthy",
                    "s",
                    started,
                    "s",
                    startup_baseline,
                    "python -c 'import hubgraph.app'",
                    "≤ 1 s",
                    started <= 1.0,
                    f"--workers {workers}",
                )
            )
            _seed_throughput(report, server, token, data, scale, baseline, profile, stamp)
            _latencies(report, server, token, url, data, scale)
        finally:
            server.stop()
    return report


def _next_object_id(url: str, portal_id: int) -> int:
    reader = RawReader(url)
    try:
        value = reader.query("SELECT next_object_id FROM portals WHERE id = %s", (portal_id,))
        return int(value[0][0])  # type: ignore[call-overload]
    finally:
        reader.close()


def _raw_insert_baseline(db: str, url: str, data: DataSet, scale: Scale) -> Any:
    """The same rows through the raw driver. SQLite: into a fresh file with the same schema
    (the scenario starts empty); PostgreSQL: into the same database, just before the API."""
    with progress() as bar:
        if db == "sqlite":
            with fresh_database("sqlite") as other:
                prepare(other)
                return run_batches(
                    raw_sqlite(other, data),
                    0,
                    scale.measured,
                    scale.batch_inputs,
                    scale.clients,
                    bar,
                    "raw sqlite3",
                )
        return run_batches(
            raw_postgres(url, data),
            scale.preload,
            scale.measured,
            scale.batch_inputs,
            scale.clients,
            bar,
            "raw psycopg unnest",
        )


def _seed_throughput(
    report: Report,
    server: Server,
    token: str,
    data: DataSet,
    scale: Scale,
    baseline: Any,
    profile: bool,
    stamp: str,
) -> None:
    k0 = 0 if report.db == "sqlite" else scale.preload + scale.measured
    stored = k0 + HUB_ASSOCIATIONS if report.db != "sqlite" else 0
    out = RESULTS / f"profile-{report.db}-{stamp}.txt"
    profiler = Profiler(server, out) if profile else None
    with progress() as bar, RssSampler(server) as rss:
        if profiler:
            profiler.start()
        api = run_batches(
            seed_endpoint(server.port, token, data),
            k0,
            scale.measured,
            scale.batch_inputs,
            scale.clients,
            bar,
            "seed endpoint",
        )
        if profiler:
            report.facts["profile"] = profiler.stop()
    if api.failures or baseline.failures:
        report.facts["failures"] = (api.failures + baseline.failures)[:5]
    goal, floor = (
        (70_000, "≥ 70k/s and ≥ 0.9 x raw")
        if report.db == "postgresql"
        else (35_000, "≥ 35k/s and ≥ 0.9 x raw")
    )
    where = (
        f"{stored:,} → {stored + api.count:,} stored" if stored else f"empty → {api.count:,} stored"
    )
    report.add(
        Row(
            f"seed endpoint, {scale.batch_inputs}/request, {scale.clients} clients",
            "associations/s",
            api.per_second,
            "/s",
            baseline.per_second,
            "raw driver, same rows" + (", fresh file" if report.db == "sqlite" else ""),
            floor,
            api.per_second >= goal and api.per_second >= 0.9 * baseline.per_second,
            where,
        )
    )
    for q in (50, 99):
        report.add(
            Row(
                "seed endpoint request",
                f"p{q}",
                percentile(api.latencies_ms, q),
                "ms",
                percentile(baseline.latencies_ms, q),
                "raw driver, same batch",
            )
        )
    cpu_ms = 1000 * sum(rss.cpu.values()) / max(1, api.count) * 1000
    report.add(
        Row(
            "server CPU per 1,000 associations",
            "ms",
            cpu_ms,
            "ms",
            note="all workers; steady even when other load shares the machine",
        )
    )
    peak = max(rss.peak.values(), default=0.0)
    report.add(
        Row(
            "server RSS per worker during the load",
            "MB (peak)",
            peak,
            "MB",
            goal="≤ 120",
            met=peak <= 120,
            note=f"{len(rss.peak)} worker(s)",
        )
    )


def _latencies(
    report: Report, server: Server, token: str, url: str, data: DataSet, scale: Scale
) -> None:
    client = Http(server.port, token)
    paths = served(client)
    raw = RawReader(url)
    n = scale.latency_requests
    health = timed(lambda _: expect(*client.request("GET", "/_hubgraph/health")), n)
    health_name = "GET /_hubgraph/health (HTTP + SELECT 1)"
    # New pairs beyond everything loaded: the last contact rounds no load reached.
    fresh = scale.preload + 2 * scale.measured + 10

    if has(paths, latency.V4_PUT_DEFAULT, "put"):

        def put(i: int) -> None:
            contact, company = data.pair(fresh + i)
            expect(
                *client.request(
                    "PUT",
                    f"/crm/v4/objects/contacts/{contact}/associations/default/companies/{company}",
                )
            )

        write_name = "PUT …/associations/default/… (v4)"
    else:

        def put(i: int) -> None:
            body = orjson.dumps(
                {
                    "inputs": [
                        {
                            "from": {"id": str(data.pair(fresh + i)[0])},
                            "to": {"id": str(data.pair(fresh + i)[1])},
                        }
                    ]
                }
            )
            expect(
                *client.request(
                    "POST", "/crm/v4/associations/contacts/companies/batch/associate/default", body
                )
            )

        write_name = "seed endpoint, 1 input (v4 PUT absent)"
    _latency_rows(report, write_name, timed(put, n), health, health_name, "p50 ≤ 1, p99 ≤ 3")

    contact = data.contact_id(1)
    if has(paths, latency.V4_LIST, "get"):
        path, read_name = (
            f"/crm/v4/objects/contacts/{contact}/associations/companies",
            "GET …/associations/{toType} (v4)",
        )
    else:
        path, read_name = (
            f"/crm/v3/objects/contacts/{contact}",
            "GET /crm/v3/objects/contacts/{id} (v4 GET absent)",
        )
    reads = timed(lambda _: expect(*client.request("GET", path)), n)
    _latency_rows(report, read_name, reads, health, health_name, "p50 ≤ 1, p99 ≤ 3")

    hub = data.hub_contact_id
    if has(paths, latency.V4_LIST, "get"):
        path = f"/crm/v4/objects/contacts/{hub}/associations/companies?limit=500"
        name, sql, params = (
            "GET list of 500 associations (v4)",
            "SELECT to_id, category, type_id FROM associations WHERE portal_id = %s AND "
            "from_type = '0-1' AND from_id = %s AND to_type = '0-2' ORDER BY to_id LIMIT 500",
            (data.portal_id, hub),
        )
    else:
        path = "/crm/v3/objects/companies?limit=100"
        name, sql, params = (
            "GET /crm/v3/objects/companies?limit=100 (v4 list absent; 100 is v3's max)",
            "SELECT * FROM objects WHERE portal_id = %s AND object_type_id = '0-2' AND "
            "archived_at IS NULL ORDER BY id LIMIT 100",
            (data.portal_id,),
        )
    lists = timed(lambda _: expect(*client.request("GET", path)), n)
    raw_lists = timed(lambda _: raw.query(sql, params), n)
    stored = _stored(raw, data)
    report.add(
        Row(
            name,
            "p99",
            percentile(lists, 99),
            "ms",
            percentile(raw_lists, 99),
            "raw driver, same rows",
            "≤ 10 ms (PostgreSQL, ≥ 10M)",
            percentile(lists, 99) <= 10,
            f"{stored:,} stored",
        )
    )

    if has(paths, latency.V4_BATCH_READ, "post"):
        ids = [str(data.contact_id(i)) for i in range(1000)]
        body = orjson.dumps({"inputs": [{"id": i} for i in ids]})
        reads = timed(
            lambda _: expect(
                *client.request("POST", "/crm/v4/associations/contacts/companies/batch/read", body),
                (200, 207),
            ),
            max(20, n // 10),
        )
        marks = ", ".join(ids)
        raw_reads = timed(
            lambda _: raw.query(
                "SELECT from_id, to_id, category, type_id FROM associations "
                "WHERE portal_id = %s AND "
                f"from_type = '0-1' AND to_type = '0-2' AND from_id IN ({marks})",
                (data.portal_id,),
            ),
            max(20, n // 10),
        )
        report.add(
            Row(
                "batch/read of 1,000 ids (v4)",
                "p50",
                percentile(reads, 50),
                "ms",
                percentile(raw_reads, 50),
                "raw driver, same rows",
                "≤ 50 ms (≥ 10M)",
                percentile(reads, 50) <= 50,
                f"{stored:,} stored",
            )
        )
    else:
        report.add(
            Row(
                "batch/read of 1,000 ids",
                "p50",
                0.0,
                "ms",
                note="not measured: v4 batch/read is absent from this build",
            )
        )
    raw.close()
    client.close()


def _latency_rows(
    report: Report, name: str, values: list[float], base: list[float], base_name: str, goal: str
) -> None:
    p50, p99 = percentile(values, 50), percentile(values, 99)
    report.add(Row(name, "p50", p50, "ms", percentile(base, 50), base_name, "≤ 1 ms", p50 <= 1))
    report.add(Row(name, "p99", p99, "ms", percentile(base, 99), base_name, "≤ 3 ms", p99 <= 3))


def _stored(raw: RawReader, data: DataSet) -> int:
    rows = raw.query("SELECT count(*) FROM associations WHERE portal_id = %s", (data.portal_id,))
    return int(rows[0][0]) // 2  # type: ignore[call-overload]


def _import_seconds() -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import hubgraph.app"], check=True)
    return time.perf_counter() - began


def write(report: Report, results: Path = RESULTS) -> Path:
    results.mkdir(exist_ok=True)
    path = results / f"{report.db}-{report.scale.name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    body = {
        "db": report.db,
        "scale": report.scale.__dict__,
        "facts": report.facts,
        "rows": [{**r.__dict__, "ratio": r.ratio} for r in report.rows],
    }
    path.write_bytes(orjson.dumps(body, option=orjson.OPT_INDENT_2))
    return path
