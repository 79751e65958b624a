"""Soak: N minutes of mixed load against a real ``hubgraph serve``, sampling its memory.

    .venv/bin/python -m bench.soak --minutes 2                      # temp SQLite file
    .venv/bin/python -m bench.soak --minutes 30 --database postgresql://postgres@127.0.0.1:5432/soak

Not part of CI. It starts the server as a subprocess on a free loopback port, mints a
portal and token, and runs ``--clients`` threads of mixed traffic (association batches,
record creates, reads, paging, archives, and a share of bad requests) until the time is
up. Every few seconds it samples the server's RSS. It prints a summary and exits non-zero
if any request got a 5xx or failed at the transport level, or the server stopped
answering its health check. Traffic goes to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx

from hubgraph.config import Settings
from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.testing import free_port

HUBGRAPH = str(Path(sys.executable).with_name("hubgraph"))
SEED = "/crm/v4/associations/{}/{}/batch/associate/default"
PAIRS = [("contacts", "companies"), ("deals", "contacts"), ("companies", "companies")]
NAME_PROPERTIES = {"contacts": "firstname", "companies": "name", "deals": "dealname"}


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)
    operations: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    transport_errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, operation: str, status: int, elapsed_ms: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.operations[operation] += 1
            self.latencies_ms.append(elapsed_ms)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def start_server(database_url: str, log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = log_path.open("ab")
    process = subprocess.Popen(
        [HUBGRAPH, "serve", "--port", str(port), "--database", database_url, "--show-token"],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/_hubgraph/health", timeout=1).status_code == 200:
                return process, base_url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the server did not start; see {log_path}")


class Client:
    """One load thread: a random mix of HubSpot calls, some of them deliberately bad."""

    def __init__(self, base_url: str, token: str, seed: int, tally: Tally) -> None:
        self.http = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )
        self.random = random.Random(seed)
        self.tally = tally
        self.records: dict[str, list[str]] = {"contacts": [], "companies": [], "deals": []}

    def call(self, operation: str, method: str, path: str, **kwargs: Any) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.TransportError:
            with self.tally.lock:
                self.tally.transport_errors += 1
            return None
        self.tally.record(operation, response.status_code, (time.perf_counter() - started) * 1000)
        return response

    def create(self) -> None:
        object_type = self.random.choice(list(self.records))
        name = NAME_PROPERTIES[object_type]  # record writes are validated: a real property
        count = self.random.randint(1, 100)
        inputs = [{"properties": {name: f"soak-{i}"}} for i in range(count)]
        response = self.call(
            "objects.batch_create",
            "POST",
            f"/crm/v3/objects/{object_type}/batch/create",
            json={"inputs": inputs},
        )
        if response is not None and response.status_code == 201:
            ids = [r["id"] for r in response.json()["results"]]
            self.records[object_type] = (self.records[object_type] + ids)[-2000:]

    def associate(self) -> None:
        from_type, to_type = self.random.choice(PAIRS)
        froms, tos = self.records[from_type], self.records[to_type]
        if not froms or not tos:
            return self.create()
        inputs = [
            {"from": {"id": self.random.choice(froms)}, "to": {"id": self.random.choice(tos)}}
            for _ in range(self.random.randint(1, 500))
        ]
        if self.random.random() < 0.1:
            inputs.append({"from": {"id": "not-an-id"}, "to": {"id": "-1"}})
        self.call(
            "associations.associate_default",
            "POST",
            SEED.format(from_type, to_type),
            json={"inputs": inputs},
        )
        return None

    def read(self) -> None:
        object_type = self.random.choice(list(self.records))
        if self.records[object_type] and self.random.random() < 0.5:
            object_id = self.random.choice(self.records[object_type])
            self.call("objects.get", "GET", f"/crm/v3/objects/{object_type}/{object_id}")
            return
        response = self.call("objects.list", "GET", f"/crm/v3/objects/{object_type}?limit=100")
        after = response.json().get("paging", {}).get("next", {}).get("after") if response else None
        if after:
            self.call(
                "objects.list", "GET", f"/crm/v3/objects/{object_type}?limit=100&after={after}"
            )

    def archive(self) -> None:
        object_type = self.random.choice(list(self.records))
        if self.records[object_type]:
            object_id = self.records[object_type].pop(
                self.random.randrange(len(self.records[object_type]))
            )
            self.call("objects.archive", "DELETE", f"/crm/v3/objects/{object_type}/{object_id}")

    def bad(self) -> None:
        body = self.random.choice(
            [b'{"inputs": [', b"[" * 50_000, b'{"inputs": null}', b"\xff", b'{"inputs": "x"}']
        )
        self.call(
            "bad_request",
            "POST",
            SEED.format("contacts", "companies"),
            content=body,
            headers={"Content-Type": "application/json"},
        )

    def run(self, until: float) -> None:
        steps = [
            (self.associate, 45),
            (self.read, 30),
            (self.create, 15),
            (self.archive, 5),
            (self.bad, 5),
        ]
        actions = [a for a, _ in steps]
        weights = [w for _, w in steps]
        while time.monotonic() < until:
            self.random.choices(actions, weights)[0]()
        self.http.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--database", help="default: a new SQLite file in a temp directory")
    parser.add_argument("--sample-seconds", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="hubgraph-soak-"))
    database_url = args.database or f"sqlite:///{workdir / 'soak.db'}"
    services = Services.from_settings(Settings(database_url=database_url))
    portals.upgrade_database(services)
    portal_id = portals.create_portal(services, "soak")
    token = portals.create_token(services, portal_id)
    services.close()

    process, base_url = start_server(database_url, workdir / "server.log")
    tally = Tally()
    samples: list[tuple[float, int]] = []
    started = time.monotonic()
    until = started + args.minutes * 60
    clients = [Client(base_url, token, args.seed + i, tally) for i in range(args.clients)]
    threads = [threading.Thread(target=c.run, args=(until,), daemon=True) for c in clients]
    try:
        for thread in threads:
            thread.start()
        while time.monotonic() < until:
            samples.append((time.monotonic() - started, rss_kib(process.pid)))
            time.sleep(min(args.sample_seconds, max(0.0, until - time.monotonic())))
        for thread in threads:
            thread.join(timeout=120)
        samples.append((time.monotonic() - started, rss_kib(process.pid)))
        healthy = httpx.get(f"{base_url}/_hubgraph/health", timeout=10).status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

    elapsed = time.monotonic() - started
    total = sum(tally.statuses.values())
    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    latencies = sorted(tally.latencies_ms)
    rss = [kib for _, kib in samples]
    # Growth after warm-up: the first sample after a tenth of the run against the last one.
    warm = next((kib for t, kib in samples if t >= elapsed / 10), rss[0])
    summary = {
        "minutes": round(elapsed / 60, 2),
        "database": "postgresql" if database_url.startswith("postgres") else "sqlite",
        "clients": args.clients,
        "requests": total,
        "requests_per_second": round(total / elapsed, 1),
        "statuses": dict(sorted(tally.statuses.items())),
        "operations": dict(tally.operations.most_common()),
        "server_errors": server_errors,
        "transport_errors": tally.transport_errors,
        "latency_ms": {
            "p50": round(statistics.median(latencies), 1) if latencies else None,
            "p99": round(latencies[int(len(latencies) * 0.99) - 1], 1) if latencies else None,
        },
        "rss_mib": {
            "start": round(rss[0] / 1024, 1),
            "after_warmup": round(warm / 1024, 1),
            "end": round(rss[-1] / 1024, 1),
            "max": round(max(rss) / 1024, 1),
        },
        "healthy_at_end": healthy,
        "server_log": str(workdir / "server.log"),
    }
    print(json.dumps(summary, indent=2))
    return 0 if healthy and server_errors == 0 and tally.transport_errors == 0 else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
