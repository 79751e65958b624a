"""``/crm/v3/properties/{objectType}/batch/{create,read,archive}``"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.http.body import read_batch
from hubgraph.api.http.common import batch_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.api.properties_v3.models import (
    BATCH_PROPERTY_CREATE,
    BATCH_PROPERTY_NAMES,
    BATCH_PROPERTY_READ,
    model_property,
)
from hubgraph.services.clock import now_ms
from hubgraph.services.properties import definitions

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/v3/properties/{objectType}/batch")


@router.post("/create")
async def create(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponseProperty, 201; 207 with an error per refused input (the rest created)."""
    started = now_ms()
    batch = await read_batch(
        request,
        BATCH_PROPERTY_CREATE,
        max_body=services.settings.max_body_bytes,
        max_inputs=services.settings.max_object_batch_inputs,
    )
    outcome = await run_in_threadpool(
        definitions.create_properties,
        services,
        principal,
        objectType,
        [i.as_draft() for i in batch.inputs],
    )
    results = [model_property(d) for d in outcome.results]
    return batch_response(results, outcome.errors, started, success=201)


@router.post("/read")
async def read(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponseProperty, 200; 207 when some names are unknown."""
    started = now_ms()
    batch = await read_batch(
        request,
        BATCH_PROPERTY_READ,
        max_body=services.settings.max_body_bytes,
        max_inputs=services.settings.max_object_batch_inputs,
    )
    outcome = await run_in_threadpool(
        lambda: definitions.read_properties(
            services, principal, objectType, [i.name for i in batch.inputs], archived=batch.archived
        )
    )
    results = [model_property(d) for d in outcome.results]
    return batch_response(results, outcome.errors, started)


@router.post("/archive")
async def archive(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """204 whatever the names name (spec)."""
    batch = await read_batch(
        request,
        BATCH_PROPERTY_NAMES,
        max_body=services.settings.max_body_bytes,
        max_inputs=services.settings.max_object_batch_inputs,
    )
    await run_in_threadpool(
        definitions.archive_properties,
        services,
        principal,
        objectType,
        [i.name for i in batch.inputs],
    )
    return no_content()
