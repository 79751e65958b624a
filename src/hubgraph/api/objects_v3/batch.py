"""``/crm/v3/objects/{objectType}/batch/...``"""

from __future__ import annotations

from typing import TypeVar

from fastapi import APIRouter, Request
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.http.body import read_batch
from hubgraph.api.http.common import batch_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.api.objects_v3.models import (
    BATCH_OBJECT_IDS,
    BATCH_OBJECT_INPUT,
    BATCH_OBJECT_UPDATE,
    BATCH_OBJECT_UPSERT,
    BATCH_READ_INPUT,
    requested_properties,
    simple_public_object,
)
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.records import creation, reads, updates
from hubgraph.services.records import upsert as upsert_records

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/v3/objects/{objectType}/batch")


B = TypeVar("B")


async def _read_batch(request: Request, services: Services, adapter: TypeAdapter[B]) -> B:
    """The body, refused with HubSpot's 400 above the objects' batch limit (reference §3)."""
    return await read_batch(
        request,
        adapter,
        max_body=services.settings.max_body_bytes,
        max_inputs=services.settings.max_object_batch_inputs,
    )


@router.post("/create")
async def create(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponseSimplePublicObject, 201: all inputs are created or none, except that
    an input with ``objectWriteTraceId`` fails alone (207, reference §10.1)."""
    started = now_ms()
    batch = await _read_batch(request, services, BATCH_OBJECT_INPUT)
    outcome = await run_in_threadpool(
        creation.create_objects,
        services,
        principal,
        objectType,
        [i.as_input(i.objectWriteTraceId) for i in batch.inputs],
    )
    results = [simple_public_object(o) for o in outcome.results]
    return batch_response(results, outcome.errors, started, 201)


@router.post("/read")
async def read(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    archived: bool = False,
) -> Response:
    """BatchResponseSimplePublicObject, 200; 207 when some ids name no record."""
    started = now_ms()
    batch = await _read_batch(request, services, BATCH_READ_INPUT)
    outcome = await run_in_threadpool(
        reads.batch_read,
        services,
        principal,
        objectType,
        [i.id for i in batch.inputs],
        archived=archived,
        id_property=batch.idProperty,
    )
    only = requested_properties(batch.properties)
    results = [simple_public_object(o, only) for o in outcome.results]
    return batch_response(results, outcome.errors, started, 200)


@router.post("/update")
async def update(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponseSimplePublicObject, 200; 207 when some ids name no live record."""
    started = now_ms()
    batch = await _read_batch(request, services, BATCH_OBJECT_UPDATE)
    outcome = await run_in_threadpool(
        updates.batch_update,
        services,
        principal,
        objectType,
        [i.as_update() for i in batch.inputs],
    )
    results = [simple_public_object(o) for o in outcome.results]
    return batch_response(results, outcome.errors, started, 200)


@router.post("/upsert")
async def upsert(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    idProperty: str | None = None,
) -> Response:
    """BatchResponseSimplePublicUpsertObject, 200: each result says whether it is ``new``.

    ``idProperty`` is per input (SDK, docs); the spec's text also names a query parameter,
    taken as the default for inputs without one (reference §3.5).
    """
    started = now_ms()
    batch = await _read_batch(request, services, BATCH_OBJECT_UPSERT)
    outcome = await run_in_threadpool(
        upsert_records.batch_upsert,
        services,
        principal,
        objectType,
        [i.as_upsert() for i in batch.inputs],
        idProperty,
    )
    results = [simple_public_object(o) for o in outcome.results]
    return batch_response(results, outcome.errors, started, 200)


@router.post("/archive")
async def archive(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """204, whatever the ids name (as the single DELETE)."""
    batch = await _read_batch(request, services, BATCH_OBJECT_IDS)
    await run_in_threadpool(
        updates.batch_archive, services, principal, objectType, [i.id for i in batch.inputs]
    )
    return no_content()
