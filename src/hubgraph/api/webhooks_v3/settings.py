"""``/webhooks/v3/{appId}/settings``: where and how fast an app's events go (§1.2)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.http.body import parse_body, read_body
from hubgraph.api.http.common import json_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import ServicesDep
from hubgraph.api.webhooks_v3.auth import DeveloperAppDep
from hubgraph.api.webhooks_v3.models import SETTINGS_CHANGE_REQUEST, settings_response
from hubgraph.services.webhooks import management

router = APIRouter(route_class=DeferredAPIRoute, prefix="/webhooks/v3/{appId}/settings")


@router.get("")
async def get_all(appId: int, app: DeveloperAppDep, services: ServicesDep) -> Response:
    found = await run_in_threadpool(management.get_settings, services, app)
    return json_response(settings_response(found))


@router.put("")
async def configure(
    appId: int, request: Request, app: DeveloperAppDep, services: ServicesDep
) -> Response:
    raw = await read_body(request, services.settings.max_body_bytes)
    body = parse_body(raw, SETTINGS_CHANGE_REQUEST)
    saved = await run_in_threadpool(
        management.put_settings,
        services,
        app,
        body.targetUrl,
        body.throttling.maxConcurrentRequests,
        body.throttling.period,
    )
    return json_response(settings_response(saved))


@router.delete("")
async def clear(appId: int, app: DeveloperAppDep, services: ServicesDep) -> Response:
    await run_in_threadpool(management.delete_settings, services, app)
    return no_content()
