"""Abuse: 4 hostile clients of each kind against a real ``hubgraph serve`` (issue 12).

    .venv/bin/python -m bench.abuse                       # 30 s, temp SQLite file
    .venv/bin/python -m bench.abuse --seconds 60 --database postgresql://postgres@127.0.0.1:5432/abuse

Not part of CI. Starts ``hubgraph serve`` on a free loopback port, loads a portal whose
contacts each have a full page (500) of associated companies, then runs, all at once and
for ``--seconds``, ``--clients`` threads of each kind:

- huge-headers: an 8 MiB header, again and again;
- slow-headers: 50 connections each, one header line every 5 s, never finishing;
- big-forms: 10 MB form bodies to ``/oauth/v1/token`` and ``POST /oauth/authorize``;
- nested-batches: ``batch/archive`` with one input of 400,000 ``to`` ids;
- big-reads: ``batch/read`` of every loaded contact (tens of MB of answer).

Meanwhile a separate process asks ``/_hubgraph/health`` every 50 ms (its own process, so
the clients' GIL does not slow the prober) and the server's RSS is sampled every second.

The abusive clients run at ``nice`` 10 (``--client-nice``): on a small machine they share
the cores with the server, and at the same priority their own Python (parsing 9 MiB
answers, building 5 MB bodies) took the CPU the server needed, so the probe measured the
client as much as the server. Niced, they get what the server and the prober leave, as an
attacker on other machines would. The summary gives every side's CPU time (server,
abusers, prober) and the load average, so a run can be judged.
Prints a JSON summary; exits non-zero when the health p99 is over 100 ms, the RSS over
300 MiB, or the server answered a 5xx. Traffic goes to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx2 as httpx

from bench.server import cpu_seconds
from bench.soak import rss_kib
from hubgraph.config import Settings
from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.testing import ServeProcess

HEALTH = "/_hubgraph/health"
MIB = 1024 * 1024
P99_GOAL_MS = 100.0
RSS_GOAL_MIB = 300.0


def probe(base_url: str, until: float, results: Any) -> None:
    """The health prober, in its own process."""
    latencies: list[float] = []
    failures = 0
    with httpx.Client(base_url=base_url, timeout=30) as http:
        while time.time() < until:
            started = time.perf_counter()
            try:
                ok = http.get(HEALTH).status_code == 200
            except httpx.TransportError:
                ok = False
            latencies.append((time.perf_counter() - started) * 1000)
            failures += not ok
            time.sleep(0.05)
    results.put((latencies, failures, sum(os.times()[:2])))


class Abuse:
    def __init__(self, base_url: str, port: int, token: str, contacts: list[str]) -> None:
        self.base_url = base_url
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}"}
        self.contacts = contacts
        self.statuses: Counter[str] = Counter()
        self.lock = threading.Lock()

    def count(self, kind: str, outcome: object) -> None:
        with self.lock:
            self.statuses[f"{kind} {outcome}"] += 1

    def huge_headers(self, until: float) -> None:
        head = (
            b"GET /_hubgraph/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (8 * MIB) + b"\r\n\r\n"
        )
        while time.time() < until:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
                    sock.sendall(head)
                    line = sock.recv(64).split(b"\r\n")[0]
                    self.count("huge-headers", line.decode(errors="replace")[9:12] or "closed")
            except OSError:
                self.count("huge-headers", "reset")

    def slow_headers(self, until: float) -> None:
        sockets: list[socket.socket] = []
        for _ in range(50):
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            sock.sendall(b"GET /_hubgraph/health HTTP/1.1\r\n")
            sockets.append(sock)
        while time.time() < until:
            time.sleep(5)
            for sock in sockets:
                try:
                    sock.sendall(b"X-Slow: a\r\n")
                    self.count("slow-headers", "sent")
                except OSError:
                    self.count("slow-headers", "closed by server")
        for sock in sockets:
            sock.close()

    def big_forms(self, until: float) -> None:
        form = b"client_id=" + b"a" * (10 * 1000 * 1000)
        kind = {"Content-Type": "application/x-www-form-urlencoded"}
        with httpx.Client(base_url=self.base_url, timeout=60) as http:
            while time.time() < until:
                for path in ("/oauth/v1/token", "/oauth/authorize"):
                    try:
                        self.count(
                            "big-forms", http.post(path, content=form, headers=kind).status_code
                        )
                    except httpx.TransportError:
                        self.count("big-forms", "transport error")

    def nested_batches(self, until: float) -> None:
        to = b",".join([b'{"id": "1"}'] * 400_000)
        body = b'{"inputs": [{"from": {"id": "1"}, "to": [' + to + b"]}]}"
        url = "/crm/v4/associations/contacts/companies/batch/archive"
        headers = {**self.headers, "Content-Type": "application/json"}
        with httpx.Client(base_url=self.base_url, timeout=60) as http:
            while time.time() < until:
                try:
                    self.count(
                        "nested-batches", http.post(url, content=body, headers=headers).status_code
                    )
                except httpx.TransportError:
                    self.count("nested-batches", "transport error")

    def big_reads(self, until: float) -> None:
        body = {"inputs": [{"id": c} for c in self.contacts]}
        url = "/crm/v4/associations/contacts/companies/batch/read"
        with httpx.Client(base_url=self.base_url, headers=self.headers, timeout=120) as http:
            while time.time() < until:
                try:
                    response = http.post(url, json=body)
                    self.count(
                        "big-reads", f"{response.status_code} ({len(response.content) // MIB} MiB)"
                    )
                except httpx.TransportError:
                    self.count("big-reads", "transport error")


def load(base_url: str, token: str, contacts: int, companies: int) -> list[str]:
    """``contacts`` contacts, each associated with the same ``companies`` companies."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=120) as http:

        def create(kind: str, count: int) -> list[str]:
            ids: list[str] = []
            for start in range(0, count, 100):
                # Records are validated: each type gets one of its own HubSpot properties.
                name = "firstname" if kind == "contacts" else "name"
                inputs = [
                    {"properties": {name: f"{kind}-{i}"}}
                    for i in range(start, min(count, start + 100))
                ]
                response = http.post(
                    f"/crm/v3/objects/{kind}/batch/create", json={"inputs": inputs}
                )
                response.raise_for_status()
                ids += [r["id"] for r in response.json()["results"]]
            return ids

        contact_ids, company_ids = create("contacts", contacts), create("companies", companies)
        pairs = [(c, k) for c in contact_ids for k in company_ids]
        for start in range(0, len(pairs), 2000):
            inputs = [{"from": {"id": c}, "to": {"id": k}} for c, k in pairs[start : start + 2000]]
            url = "/crm/v4/associations/contacts/companies/batch/associate/default"
            http.post(url, json={"inputs": inputs}).raise_for_status()
    return contact_ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=4, help="clients of each kind")
    parser.add_argument("--database", help="default: a temp SQLite file")
    parser.add_argument("--contacts", type=int, default=200, help="contacts read by big-reads")
    parser.add_argument("--companies", type=int, default=500, help="companies per contact")
    parser.add_argument("--only", action="append", help="run only this kind (repeatable)")
    parser.add_argument(
        "--client-nice", type=int, default=10, help="niceness of the abusive clients (0: none)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = args.database or f"sqlite:///{Path(tmp) / 'abuse.db'}"
        services = Services.from_settings(Settings(database_url=database_url))
        portals.upgrade_database(services)
        portal_id = portals.create_portal(services, "abuse")
        token = portals.create_token(services, portal_id)
        services.close()
        server = ServeProcess(database_url).start(timeout=120)
        try:
            assert server.process is not None
            contacts = load(server.base_url, token, args.contacts, args.companies)
            return run(server.base_url, server.port, server.process.pid, token, contacts, args)
        finally:
            server.stop()


def run(base_url: str, port: int, pid: int, token: str, contacts: list[str], args: Any) -> int:
    abuse = Abuse(base_url, port, token, contacts)
    rss_before = rss_kib(pid) / 1024
    load_before = os.getloadavg()[0]
    until = time.time() + args.seconds
    results: Any = multiprocessing.Queue()
    prober = multiprocessing.Process(target=probe, args=(base_url, until, results))
    prober.start()
    # After the prober is forked (it keeps the default priority): threads made from here
    # on inherit the niceness (on Linux it is per thread).
    if args.client_nice:
        os.nice(args.client_nice)
    server_cpu, client_cpu = cpu_seconds(pid), sum(os.times()[:2])
    every_kind = (
        abuse.huge_headers,
        abuse.slow_headers,
        abuse.big_forms,
        abuse.nested_batches,
        abuse.big_reads,
    )
    kinds = [k for k in every_kind if not args.only or k.__name__.replace("_", "-") in args.only]
    threads = [
        threading.Thread(target=kind, args=(until,), daemon=True)
        for kind in kinds
        for _ in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    rss: list[float] = []
    while time.time() < until:
        rss.append(rss_kib(pid) / 1024)
        time.sleep(1)
    server_cpu = cpu_seconds(pid) - server_cpu
    latencies, failures, prober_cpu = results.get(timeout=120)
    prober.join()
    for thread in threads:
        thread.join(timeout=60)
    client_cpu = sum(os.times()[:2]) - client_cpu
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99)] if latencies else float("inf")
    server_errors = sum(n for key, n in abuse.statuses.items() if key.split(" ")[1].startswith("5"))
    summary = {
        "seconds": args.seconds,
        "clients_of_each_kind": args.clients,
        "health": {
            "probes": len(latencies),
            "failed": failures,
            "p50_ms": round(latencies[len(latencies) // 2], 1) if latencies else None,
            "p99_ms": round(p99, 1),
            "max_ms": round(latencies[-1], 1) if latencies else None,
        },
        "rss_mib": {
            "before": round(rss_before, 1),
            "max": round(max(rss, default=0), 1),
            "samples": [round(r) for r in rss],
        },
        "abusive_requests": dict(sorted(abuse.statuses.items())),
        "cpu_seconds": {
            "server": round(server_cpu, 1),
            "abusers": round(client_cpu, 1),
            "prober": round(prober_cpu, 1),
            "abusers_nice": args.client_nice,
        },
        "load_average": {"before": round(load_before, 1), "after": round(os.getloadavg()[0], 1)},
    }
    print(json.dumps(summary, indent=2))
    ok = p99 < P99_GOAL_MS and max(rss, default=0) < RSS_GOAL_MIB and not failures
    return 0 if ok and not server_errors else 1


if __name__ == "__main__":
    sys.exit(main())
