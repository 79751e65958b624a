"""Requests straight into the ASGI app, no HTTP: where a call's time goes, before and after.

``python -m bench.inprocess --db sqlite|postgresql [--profile NAME] [--no-gc]``

Builds a fresh database with a few thousand records and associations (the same data set
as the bench), creates the app as ``hubgraph serve`` does, then calls each scenario in
turn, in rounds, and prints p50/p99 wall time and CPU per call. ``--profile NAME`` runs
that scenario under cProfile and prints the top functions (cumulative and own time).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import pstats
import time
from collections.abc import Awaitable, Callable
from typing import Any

import orjson

from bench.data import DataSet
from bench.databases import fresh_database
from bench.floor import create_app as floor_app
from bench.latency import percentile
from bench.loader import Loader, prepare
from bench.run import _next_object_id

Message = dict[str, Any]
App = Callable[
    [dict[str, Any], Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Awaitable[None],
]


async def call(
    app: App, token: str, method: str, path: str, body: bytes = b""
) -> tuple[int, bytes]:
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8080),
        "state": {},
    }
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    status = 0
    chunks: list[bytes] = []

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


SEED = "/crm/v4/associations/contacts/companies/batch/associate/default"


def seed_body(data: DataSet, k0: int) -> bytes:
    pairs = (data.pair(k) for k in range(k0, k0 + 2000))
    return orjson.dumps(
        {"inputs": [{"from": {"id": str(c)}, "to": {"id": str(r)}} for c, r in pairs]}
    )


def scenarios(data: DataSet) -> dict[str, tuple[str, str, bytes]]:
    contact, hub = data.contact_id(1), data.hub_contact_id
    ids = [str(data.contact_id(i)) for i in range(1000)]
    return {
        # The floor app (bench/floor.py) in the same process: the baseline of this run.
        "floor:health": ("GET", "/health", b""),
        "floor:object": ("GET", f"/objects/0-1/{contact}", b""),
        "floor:page": ("GET", f"/page/0-1/{contact}/0-2", b""),
        "floor:list500": ("GET", f"/page/0-1/{hub}/0-2?limit=500", b""),
        "floor:batchread": (
            "POST",
            "/batch-read/0-1/0-2",
            orjson.dumps({"inputs": [{"id": i} for i in ids]}),
        ),
        "health": ("GET", "/_hubgraph/health", b""),
        "object": ("GET", f"/crm/v3/objects/contacts/{contact}", b""),
        "page": ("GET", f"/crm/v4/objects/contacts/{contact}/associations/companies", b""),
        "put": ("PUT", "", b""),  # a fresh pair each call, see run()
        "list500": ("GET", f"/crm/v4/objects/contacts/{hub}/associations/companies?limit=500", b""),
        "batchread": (
            "POST",
            "/crm/v4/associations/contacts/companies/batch/read",
            orjson.dumps({"inputs": [{"id": i} for i in ids]}),
        ),
        "seed2000": ("POST", SEED, b""),  # fresh pairs each call
    }


async def measure(
    app: App,
    floor: App,
    token: str,
    data: DataSet,
    names: list[str],
    count: int,
    profile: str | None,
) -> None:
    table = scenarios(data)
    fresh = iter(range(50_000, 10**9))
    seeds = iter(range(0, 10**9, 2000))

    def request(name: str) -> tuple[str, str, bytes]:
        method, path, body = table[name]
        if name == "put":
            c, r = data.pair(next(fresh))
            path = f"/crm/v4/objects/contacts/{c}/associations/default/companies/{r}"
        if name == "seed2000":
            body = seed_body(data, next(seeds))
        return method, path, body

    async def one(name: str, prepared: tuple[str, str, bytes] | None = None) -> None:
        method, path, body = prepared or request(name)
        target = floor if name.startswith("floor:") else app
        status, out = await call(target, token, method, path, body)
        if status not in (200, 201, 207) or (name == "seed2000" and b"numErrors" in out):
            raise RuntimeError(f"{name}: {status} {out[:300]!r}")

    for name in names:  # warm up
        for _ in range(5):
            await one(name)
    if profile:
        profiler = cProfile.Profile()
        for _ in range(count):
            prepared = request(profile)
            profiler.enable()
            await one(profile, prepared)
            profiler.disable()
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(35)
            print(out.getvalue())
        return
    walls: dict[str, list[float]] = {n: [] for n in names}
    cpus: dict[str, list[float]] = {n: [] for n in names}
    rounds = 5
    for _ in range(rounds):
        for name in names:
            big = name in ("seed2000", "batchread", "floor:batchread")
            n = max(1, count // rounds // (20 if big else 1))
            for _ in range(n):
                prepared = request(name)
                w0, c0 = time.perf_counter(), time.process_time()
                await one(name, prepared)
                walls[name].append((time.perf_counter() - w0) * 1000)
                cpus[name].append((time.process_time() - c0) * 1000)
    for name in names:
        print(
            f"{name:14s} n={len(walls[name]):5d} p50 {percentile(walls[name], 50):8.3f} ms  "
            f"p99 {percentile(walls[name], 99):8.3f} ms  "
            f"cpu/call {sum(cpus[name]) / len(cpus[name]):8.3f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--profile", default=None)
    parser.add_argument(
        "--per-contact",
        type=int,
        default=10,
        help="associations per contact (companies), as a bench scale stores (~5 at small)",
    )
    parser.add_argument("--no-gc", action="store_true")
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() after start-up")
    args = parser.parse_args()
    with fresh_database(args.db) as url:
        portal_id, token = prepare(url)
        data = DataSet(portal_id, _next_object_id(url, portal_id), 30_000, 3_000)
        loader = Loader(url)
        loader.load_records(data)
        loader.load_associations(data, data.contacts * args.per_contact)
        loader.load_hub(data)
        # Imported late: the app is what is measured, the bench's loader is not.
        from hubgraph.app import create_app
        from hubgraph.config import Settings

        app: Any = create_app(Settings(database_url=url))
        floor: Any = floor_app(url, portal_id)

        async def go() -> None:
            async with app.router.lifespan_context(app):
                if args.no_gc:
                    gc.disable()
                if args.freeze:
                    gc.collect()
                    gc.freeze()
                names = args.only or list(scenarios(data))
                await measure(app, floor, token, data, names, args.count, args.profile)

        asyncio.run(go())


if __name__ == "__main__":
    main()
