"""``/_hubgraph/portals/{portalId}/webhooks/…``: deliveries and their attempts; re-send."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.http.common import json_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import AdminDep, ServicesDep
from hubgraph.services.webhooks import deliveries

router = APIRouter(
    route_class=DeferredAPIRoute,
    prefix="/_hubgraph/portals/{portalId}/webhooks",
    dependencies=[AdminDep],
)


@router.get("/events")
async def list_events(
    portalId: int,
    services: ServicesDep,
    limit: Annotated[int, Query()] = 100,
    appId: Annotated[int | None, Query()] = None,
) -> Response:
    found = await run_in_threadpool(deliveries.list_deliveries, services, portalId, limit, appId)
    return json_response({"results": found})


@router.post("/events/{eventId}/resend")
async def resend(portalId: int, eventId: int, services: ServicesDep) -> Response:
    await run_in_threadpool(deliveries.resend, services, portalId, eventId)
    return no_content()
