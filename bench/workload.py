"""Concurrent batches of associations, through a raw driver or through HTTP.

Both paths share one shape: ``clients`` threads take the next batch of ``batch_inputs``
associations until ``count`` are written; each batch's latency is recorded.
"""

from __future__ import annotations

import http.client
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import orjson
import psycopg
from rich.progress import Progress

from bench.data import DataSet
from bench.databases import driver_url, sqlite_path
from hubgraph.store.arrays import array_literal
from hubgraph.store.engine import SQLITE_PRAGMAS

PG_UNNEST = (
    "INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id, category, "
    "type_id, created_at) SELECT %s, u.* , %s FROM unnest(%s::text::varchar[], "
    "%s::text::bigint[], %s::text::varchar[], %s::text::bigint[], %s::text::smallint[], "
    "%s::text::int[]) AS u ON CONFLICT DO NOTHING"
)
SQLITE_INSERT = (
    "INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id, category, "
    "type_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
)


@dataclass
class Run:
    """What one workload measured."""

    count: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def add(self, other: Run) -> None:
        """Counts ``other`` (another round of the same workload) in this one."""
        self.count += other.count
        self.seconds += other.seconds
        self.latencies_ms += other.latencies_ms
        self.failures += other.failures


Batch = Callable[[int, int], None]  # writes associations k0 <= k < k1
# A client: its batch writer and what closes its connection.
Client = tuple[Batch, Callable[[], None]]


def run_batches(
    make_worker: Callable[[], Client],
    k0: int,
    count: int,
    batch_inputs: int,
    clients: int,
    bar: Progress | None = None,
    label: str = "",
) -> Run:
    starts = iter(range(k0, k0 + count, batch_inputs))
    lock = threading.Lock()
    run = Run()
    task = bar.add_task(label, total=count, rate="") if bar else None
    began = time.perf_counter()

    def client() -> None:
        write, close = make_worker()
        try:
            work(write)
        finally:
            close()

    def work(write: Batch) -> None:
        while True:
            with lock:
                start = next(starts, None)
            if start is None:
                return
            end = min(k0 + count, start + batch_inputs)
            t0 = time.perf_counter()
            try:
                write(start, end)
            except Exception as exc:  # a failed batch is reported, not fatal
                with lock:
                    run.failures.append(repr(exc)[:300])
                continue
            elapsed = time.perf_counter() - t0
            with lock:
                run.latencies_ms.append(elapsed * 1000)
                run.count += end - start
                if bar is not None and task is not None:
                    rate = run.count / (time.perf_counter() - began)
                    bar.update(task, completed=run.count, rate=f"{rate:,.0f} assoc/s")

    threads = [threading.Thread(target=client, name=f"bench-client-{i}") for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    run.seconds = time.perf_counter() - began
    return run


def raw_postgres(url: str, data: DataSet) -> Callable[[], Client]:
    """The floor: one unnest INSERT per batch (both directions), autocommitted."""

    def make() -> Client:
        conn = psycopg.connect(driver_url(url), autocommit=True)
        now = int(time.time() * 1000)

        def write(k0: int, k1: int) -> None:
            rows = data.rows(k0, k1, now)
            conn.execute(
                PG_UNNEST,
                # Array literals, as hubgraph sends them: psycopg's own list adaptation
                # runs per element in Python and would make this floor too low.
                (
                    data.portal_id,
                    now,
                    *[array_literal([r[i] for r in rows]) for i in range(1, 7)],
                ),
            )

        return write, conn.close

    return make


def raw_sqlite(url: str, data: DataSet) -> Callable[[], Client]:
    """The floor: one transaction per batch, executemany into the WITHOUT ROWID table."""

    def make() -> Client:
        conn = sqlite3.connect(
            sqlite_path(url), isolation_level=None, check_same_thread=False, timeout=30
        )
        for pragma in SQLITE_PRAGMAS:  # the server's settings, so that the two compare
            conn.execute(f"PRAGMA {pragma}")
        now = int(time.time() * 1000)

        def write(k0: int, k1: int) -> None:
            rows = data.rows(k0, k1, now)
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(SQLITE_INSERT, rows)
            conn.execute("COMMIT")

        return write, conn.close

    return make


class Http:
    """A keep-alive HTTP/1.1 connection to the server under test (loopback only)."""

    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def close(self) -> None:
        self.conn.close()

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        try:
            self.conn.request(method, path, body=body, headers=self.headers)
        except (BrokenPipeError, ConnectionResetError):
            # the server closed the kept-alive connection between two calls (seen on a
            # loaded machine after big answers): once more on a new one
            self.conn.close()
            self.conn.request(method, path, body=body, headers=self.headers)
        response = self.conn.getresponse()
        return response.status, response.read()


SEED_PATH = "/crm/v4/associations/contacts/companies/batch/associate/default"


def seed_body(data: DataSet, k0: int, k1: int) -> bytes:
    inputs = []
    for k in range(k0, k1):
        contact, company = data.pair(k)
        inputs.append({"from": {"id": str(contact)}, "to": {"id": str(company)}})
    return orjson.dumps({"inputs": inputs})


def seed_endpoint(port: int, token: str, data: DataSet) -> Callable[[], Client]:
    def make() -> Client:
        client = Http(port, token)

        def write(k0: int, k1: int) -> None:
            status, body = client.request("POST", SEED_PATH, seed_body(data, k0, k1))
            if status != 200 or b'"numErrors"' in body:
                raise RuntimeError(f"{status}: {body[:300]!r}")

        return write, client.close

    return make
