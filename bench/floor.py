"""The floor: a bare Starlette app on uvicorn doing each single call's database work with
the raw driver, on the same database file/server as hubgraph.

It answers what HTTP + JSON + the query cost with no framework plumbing at all, so every
single-call figure of the bench is reported as a ratio to the same call here, measured in
the same run and interleaved with it (the machine is shared; absolute figures drift).
The driver runs inline on the event loop: at concurrency 1 that is the cheapest way.

Run by the bench as ``python -m bench.floor --url URL --port PORT`` (loopback only).
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from typing import Any

import orjson
import psycopg
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.databases import driver_url, sqlite_path

OBJECT = (
    "SELECT id, properties, created_at, updated_at, archived_at FROM objects "
    "WHERE portal_id = %s AND object_type_id = %s AND id = %s"
)
# One primary-key probe per record: SQLite answered an OR of the two keys by scanning every
# record of the portal (14 ms of CPU per call at 110k records).
_LIVE = (
    "(SELECT count(*) FROM objects WHERE portal_id = %s AND object_type_id = %s AND id = %s "
    "AND archived_at IS NULL)"
)
EXISTS = f"SELECT {_LIVE} + {_LIVE}"
INSERT = (
    "INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id, category, "
    "type_id, created_at) VALUES (%s, %s, %s, %s, %s, 1, %s, %s), "
    "(%s, %s, %s, %s, %s, 1, %s, %s) ON CONFLICT DO NOTHING"
)
PAGE = (
    "SELECT to_id, category, type_id FROM associations WHERE portal_id = %s AND "
    "from_type = %s AND from_id = %s AND to_type = %s ORDER BY to_id LIMIT %s"
)
CATEGORIES = {1: "HUBSPOT_DEFINED", 2: "USER_DEFINED", 3: "INTEGRATOR_DEFINED"}
# Paths, as the bench calls them.
HEALTH = "/health"


class Driver:
    """One raw connection, autocommitted; ``%s`` placeholders on both databases."""

    def __init__(self, url: str) -> None:
        self.postgres = not url.startswith("sqlite")
        if self.postgres:
            # PostgreSQL's defaults: statements prepared after five runs, and generic plans
            # where they cost no more, which is the cheapest for these key lookups (and
            # what hubgraph's single-record reads use, store/loop_reads.py).
            self.pg = psycopg.connect(driver_url(url), autocommit=True)
        else:
            self.lite = sqlite3.connect(sqlite_path(url), isolation_level=None)
            self.lite.execute("PRAGMA journal_mode=WAL")
            self.lite.execute("PRAGMA synchronous=NORMAL")
            self.lite.execute("PRAGMA busy_timeout=30000")

    def rows(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        if self.postgres:
            return self.pg.execute(sql, params).fetchall()  # type: ignore[arg-type]
        return self.lite.execute(sql.replace("%s", "?"), params).fetchall()

    def write(self, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
        """Statements in one transaction (SQLite: the write lock taken up front)."""
        if self.postgres:
            with self.pg.transaction():
                for sql, params in statements:
                    self.pg.execute(sql, params)  # type: ignore[arg-type]
            return
        self.lite.execute("BEGIN IMMEDIATE")
        try:
            for sql, params in statements:
                self.lite.execute(sql.replace("%s", "?"), params)
            self.lite.execute("COMMIT")
        except BaseException:
            self.lite.execute("ROLLBACK")
            raise


def _json(body: object, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status, media_type="application/json")


def _iso(ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000)) + f".{ms % 1000:03d}Z"


def _to(row: tuple[Any, ...]) -> dict[str, object]:
    return {
        "toObjectId": row[0],
        "associationTypes": [{"category": CATEGORIES[row[1]], "typeId": row[2], "label": None}],
    }


def _spec(from_id: int, to_id: int, type_id: int) -> dict[str, object]:
    return {
        "from": {"id": str(from_id)},
        "to": {"id": str(to_id)},
        "associationSpec": {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id},
    }


def create_app(url: str, portal_id: int) -> Starlette:
    db = Driver(url)

    async def health(_: Request) -> Response:
        db.rows("SELECT 1", ())
        return _json({"status": "ok", "database": True})

    async def get_object(request: Request) -> Response:
        """``GET /crm/v3/objects/{type}/{id}``: the primary-key read, rendered."""
        found = db.rows(
            OBJECT, (portal_id, request.path_params["type"], int(request.path_params["id"]))
        )
        if not found:
            return _json({"status": "error"}, 404)
        oid, properties, created, updated, _archived = found[0]
        if isinstance(properties, str):
            properties = orjson.loads(properties)
        return _json(
            {
                "id": str(oid),
                "properties": properties,
                "createdAt": _iso(created),
                "updatedAt": _iso(updated),
                "archived": False,
            }
        )

    async def put_default(request: Request) -> Response:
        """``PUT …/associations/default/…``: both records live? then both directions."""
        p = request.path_params
        ft, fid, tt, tid = p["ft"], int(p["fid"]), p["tt"], int(p["tid"])
        type_id, inverse = int(request.query_params["t"]), int(request.query_params["i"])
        if db.rows(EXISTS, (portal_id, ft, fid, portal_id, tt, tid))[0][0] != 2:
            return _json({"status": "error"}, 400)
        now = int(time.time() * 1000)
        db.write(
            [
                (
                    INSERT,
                    (portal_id, ft, fid, tt, tid, type_id, now)  # noqa: RUF005
                    + (portal_id, tt, tid, ft, fid, inverse, now),
                )
            ]
        )
        stamp = _iso(now)
        results = [_spec(fid, tid, type_id), _spec(tid, fid, inverse)]
        return _json(
            {"status": "COMPLETE", "results": results, "startedAt": stamp, "completedAt": stamp}
        )

    async def get_page(request: Request) -> Response:
        """``GET /crm/v4/objects/{type}/{id}/associations/{toType}?limit=N``."""
        p = request.path_params
        limit = int(request.query_params.get("limit", "500"))
        rows = db.rows(PAGE, (portal_id, p["ft"], int(p["fid"]), p["tt"], limit))
        return _json({"results": [_to(r) for r in rows]})

    async def batch_read(request: Request) -> Response:
        """``POST /crm/v4/associations/{from}/{to}/batch/read``: every input's first page."""
        p = request.path_params
        ids = [int(i["id"]) for i in orjson.loads(await request.body())["inputs"]]
        marks = ", ".join("%s" for _ in ids)
        rows = db.rows(
            "SELECT from_id, to_id, category, type_id FROM associations WHERE portal_id = %s "
            f"AND from_type = %s AND to_type = %s AND from_id IN ({marks}) "
            "ORDER BY from_id, to_id",
            (portal_id, p["ft"], p["tt"], *ids),
        )
        grouped: dict[int, list[dict[str, object]]] = {}
        for r in rows:
            grouped.setdefault(r[0], []).append(_to(r[1:]))
        results = [{"from": {"id": str(k)}, "to": v} for k, v in grouped.items()]
        return _json({"status": "COMPLETE", "results": results})

    return Starlette(
        routes=[
            Route(HEALTH, health),
            Route("/objects/{type}/{id}", get_object),
            Route("/put/{ft}/{fid}/{tt}/{tid}", put_default, methods=["PUT"]),
            Route("/page/{ft}/{fid}/{tt}", get_page),
            Route("/batch-read/{ft}/{tt}", batch_read, methods=["POST"]),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.floor")
    parser.add_argument("--url", required=True)
    parser.add_argument("--portal", type=int, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # The same server settings as `hubgraph serve` (uvicorn's defaults: uvloop, httptools).
    uvicorn.run(
        create_app(args.url, args.portal),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
