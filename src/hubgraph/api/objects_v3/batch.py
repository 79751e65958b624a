"""``/crm/v3/objects/{objectType}/batch/...``"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.body import parse_body, read_body
from hubgraph.api.common import batch_envelope, json_response
from hubgraph.api.deps import PrincipalDep, ServicesDep
from hubgraph.api.objects_v3.basic import reject_associations
from hubgraph.api.objects_v3.models import BATCH_OBJECT_INPUT, simple_public_object
from hubgraph.errors import TooManyInputs
from hubgraph.services import objects
from hubgraph.services.clock import now_ms

router = APIRouter(prefix="/crm/v3/objects/{objectType}/batch")


@router.post("/create")
async def create(
    objectType: str,  # noqa: N803 - HubSpot's parameter name
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponseSimplePublicObject, 201; all inputs are created or none."""
    started = now_ms()
    raw = await read_body(request, services.settings.max_body_bytes)
    batch = parse_body(raw, BATCH_OBJECT_INPUT, services.settings.max_object_batch_inputs)
    if len(batch.inputs) > services.settings.max_object_batch_inputs:
        raise TooManyInputs(services.settings.max_object_batch_inputs)
    reject_associations(batch.inputs)
    created = await run_in_threadpool(
        objects.create_objects,
        services,
        principal,
        objectType,
        [i.properties for i in batch.inputs],
    )
    results = [simple_public_object(o) for o in created]
    return json_response(batch_envelope(results, [], started, now_ms()), 201)
