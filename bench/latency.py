"""Sequential requests (concurrency 1) and their latency percentiles."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable

import orjson
import psycopg

from bench.databases import driver_url, sqlite_path
from bench.workload import Http

# The v4 record endpoints, when this build serves them (matched on the OpenAPI paths).
V4_PUT_DEFAULT = re.compile(
    r"^/crm/v4/objects/\{[^}]+\}/\{[^}]+\}/associations/default/\{[^}]+\}/\{[^}]+\}$"
)
V4_LIST = re.compile(r"^/crm/v4/objects/\{[^}]+\}/\{[^}]+\}/associations/\{[^}]+\}$")
V4_BATCH_READ = re.compile(r"^/crm/v4/associations/\{[^}]+\}/\{[^}]+\}/batch/read$")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def served(client: Http) -> dict[str, set[str]]:
    """Each path of the server's OpenAPI document and its methods."""
    status, body = client.request("GET", "/_hubgraph/openapi.json")
    if status != 200:
        return {}
    return {path: set(ops) for path, ops in orjson.loads(body)["paths"].items()}


def has(paths: dict[str, set[str]], pattern: re.Pattern[str], method: str) -> bool:
    return any(pattern.match(p) and method in ops for p, ops in paths.items())


def timed(call: Callable[[int], None], count: int, warmup: int = 20) -> list[float]:
    for i in range(warmup):
        call(i)
    out = []
    for i in range(warmup, warmup + count):
        t0 = time.perf_counter()
        call(i)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def expect(status: int, body: bytes, wanted: tuple[int, ...] = (200, 201, 204)) -> None:
    if status not in wanted:
        raise RuntimeError(f"{status}: {body[:300]!r}")


class RawReader:
    """The same reads through the raw driver: the floor under the HTTP figures."""

    def __init__(self, url: str) -> None:
        self.postgres = not url.startswith("sqlite")
        if self.postgres:
            self.pg = psycopg.connect(driver_url(url), autocommit=True)
        else:
            self.lite = sqlite3.connect(sqlite_path(url), isolation_level=None)

    def query(self, sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
        if self.postgres:
            return self.pg.execute(sql, params).fetchall()  # type: ignore[arg-type]
        return self.lite.execute(sql.replace("%s", "?"), params).fetchall()

    def close(self) -> None:
        if self.postgres:
            self.pg.close()
        else:
            self.lite.close()
