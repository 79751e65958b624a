"""``/webhooks/v3/{appId}/subscriptions``: which events an app hears of (§1.3, §1.4)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.http.body import parse_body, read_body
from hubgraph.api.http.common import batch_response, json_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import ServicesDep
from hubgraph.api.webhooks_v3.auth import DeveloperAppDep
from hubgraph.api.webhooks_v3.models import (
    BATCH_UPDATE_REQUEST,
    SUBSCRIPTION_CREATE_REQUEST,
    SUBSCRIPTION_PATCH_REQUEST,
    subscription_response,
)
from hubgraph.services.clock import now_ms
from hubgraph.services.webhooks import management

router = APIRouter(route_class=DeferredAPIRoute, prefix="/webhooks/v3/{appId}/subscriptions")


@router.get("")
async def get_all(appId: int, app: DeveloperAppDep, services: ServicesDep) -> Response:
    found = await run_in_threadpool(management.list_subscriptions, services, app)
    return json_response({"results": [subscription_response(s) for s in found]})


@router.post("")
async def create(
    appId: int, request: Request, app: DeveloperAppDep, services: ServicesDep
) -> Response:
    raw = await read_body(request, services.settings.max_body_bytes)
    body = parse_body(raw, SUBSCRIPTION_CREATE_REQUEST)
    created = await run_in_threadpool(
        management.create_subscription,
        services,
        app,
        body.eventType,
        body.propertyName,
        body.objectTypeId,
        body.active,
    )
    return json_response(subscription_response(created), 201)


@router.post("/batch/update")
async def update_batch(
    appId: int, request: Request, app: DeveloperAppDep, services: ServicesDep
) -> Response:
    started = now_ms()
    raw = await read_body(request, services.settings.max_body_bytes)
    batch = parse_body(raw, BATCH_UPDATE_REQUEST)
    inputs = [(i.id, i.active) for i in batch.inputs]
    outcome = await run_in_threadpool(management.batch_update, services, app, inputs)
    results = [subscription_response(s) for s in outcome.results]
    return batch_response(results, outcome.errors, started)


@router.get("/{subscriptionId}")
async def get_by_id(
    appId: int, subscriptionId: int, app: DeveloperAppDep, services: ServicesDep
) -> Response:
    found = await run_in_threadpool(management.get_subscription, services, app, subscriptionId)
    return json_response(subscription_response(found))


@router.patch("/{subscriptionId}")
async def update(
    appId: int,
    subscriptionId: int,
    request: Request,
    app: DeveloperAppDep,
    services: ServicesDep,
) -> Response:
    raw = await read_body(request, services.settings.max_body_bytes)
    body = parse_body(raw, SUBSCRIPTION_PATCH_REQUEST)
    updated = await run_in_threadpool(
        management.set_subscription_active, services, app, subscriptionId, body.active
    )
    return json_response(subscription_response(updated))


@router.delete("/{subscriptionId}")
async def archive(
    appId: int, subscriptionId: int, app: DeveloperAppDep, services: ServicesDep
) -> Response:
    await run_in_threadpool(management.delete_subscription, services, app, subscriptionId)
    return no_content()
