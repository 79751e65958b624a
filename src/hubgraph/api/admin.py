"""hubgraph's own endpoints, under ``/_hubgraph/`` and never under a HubSpot prefix."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph import __version__
from hubgraph.api.common import json_response
from hubgraph.api.deps import ServicesDep
from hubgraph.services import health

router = APIRouter(prefix="/_hubgraph")


@router.get("/health")
async def get_health(services: ServicesDep) -> Response:
    database = await run_in_threadpool(health.database_ready, services)
    status = 200 if database else 503
    return json_response(
        {
            "status": "ok" if database else "unavailable",
            "database": database,
            "version": __version__,
        },
        status,
    )
