"""hubgraph's own read-only endpoints, under ``/_hubgraph/`` and never under a HubSpot prefix.

They reveal no portal data, so unlike the control plane (``api/control/portals.py``) they
are open to every client: a load balancer's health check comes from anywhere. ``/version``
tells the database and Python versions to the admin only.
"""

from __future__ import annotations

import platform

from fastapi import APIRouter, FastAPI, Request
from starlette.responses import Response

from hubgraph import __version__
from hubgraph.api.http.common import json_response
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import ServicesDep, is_admin
from hubgraph.api.http.fast_lane import FastRoute, PathParams, QueryParams, services_of
from hubgraph.api.http.offload import run_read
from hubgraph.services.context import Services
from hubgraph.services.operations import compat, health

router = APIRouter(route_class=DeferredAPIRoute, prefix="/_hubgraph")


@router.get("/health")
async def get_health(services: ServicesDep) -> Response:
    return await _health(services)


async def fast_get_health(request: Request, _: PathParams, __: QueryParams) -> Response:
    return await _health(services_of(request))


async def _health(services: Services) -> Response:
    pool = services.loop_reads()
    if pool is not None:
        database = await health.database_ready_on_loop(pool)
    else:
        database = await run_read(services, health.database_ready, services)
    status = 200 if database else 503
    return json_response(
        {
            "status": "ok" if database else "unavailable",
            "database": database,
            "version": __version__,
        },
        status,
    )


FAST_ROUTES = [FastRoute("GET", "/_hubgraph/health", fast_get_health)]


@router.get("/version")
def get_version(request: Request, services: ServicesDep) -> Response:
    """hubgraph's version for anyone; the database and Python versions only for the admin
    (a local developer, or the admin token's bearer): they help an attacker pick exploits."""
    if not is_admin(request, services):
        return json_response({"version": __version__})
    return json_response(
        {
            "version": __version__,
            "database": health.database_backend(services),
            "python": platform.python_version(),
        }
    )


def served_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path template) the app serves, as its OpenAPI document lists them."""
    paths: dict[str, dict[str, object]] = app.openapi().get("paths", {})
    return [(method.upper(), path) for path, item in paths.items() for method in item]


@router.get("/compat")
def get_compat(request: Request, services: ServicesDep) -> Response:
    """HubSpot's spec operations and whether this server serves each (see docs/compat.md)."""
    specs_dir = compat.find_specs_dir(services.settings.specs_dir)
    return json_response(compat.coverage(served_routes(request.app), specs_dir).as_json())
