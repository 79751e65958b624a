"""Sequential requests (concurrency 1) and their latency percentiles."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

import psycopg

from bench.databases import driver_url, sqlite_path


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def timed(call: Callable[[int], None], count: int, warmup: int = 20) -> list[float]:
    """``count`` calls in a row after ``warmup``, each one's wall time in ms (bench/search.py)."""
    for i in range(warmup):
        call(i)
    out = []
    for i in range(warmup, warmup + count):
        t0 = time.perf_counter()
        call(i)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def interleaved(
    calls: dict[str, Callable[[int], None]],
    count: int,
    rounds: int = 5,
    warmup: int = 20,
    cpu: dict[str, Callable[[], dict[int, float]]] | None = None,
    cpu_ms: dict[str, float] | None = None,
) -> dict[str, list[list[float]]]:
    """Each call ``count`` times, in ``rounds`` alternating blocks, so that the machine's
    drifting load (it is shared) weighs on hubgraph and on its floor alike. Per call, the
    latencies of each round; ``call(i)`` gets an index unique across the rounds.

    ``cpu`` gives, per call, the CPU seconds used so far by each process serving it (a
    process that appears or goes during a block, a restarted worker, is left out);
    ``cpu_ms`` is then filled with the server's CPU milliseconds per call, a figure that
    other load on the machine barely moves (wall time under load grows with the work a
    request does, so ratios of wall times inflate)."""
    index = dict.fromkeys(calls, 0)
    for name, call in calls.items():
        for _ in range(warmup):
            call(index[name])
            index[name] += 1
    out: dict[str, list[list[float]]] = {name: [] for name in calls}
    per_round = max(1, count // rounds)
    for _ in range(rounds):
        for name, call in calls.items():
            times = []
            used = cpu.get(name) if cpu else None
            c0 = used() if used else {}
            for _ in range(per_round):
                t0 = time.perf_counter()
                call(index[name])
                times.append((time.perf_counter() - t0) * 1000)
                index[name] += 1
            if used and cpu_ms is not None:
                c1 = used()
                spent = sum(c1[pid] - c0[pid] for pid in c0.keys() & c1.keys())
                cpu_ms[name] = cpu_ms.get(name, 0.0) + spent * 1000
            out[name].append(times)
    if cpu_ms is not None:
        for name in cpu_ms:
            cpu_ms[name] /= per_round * rounds
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
