"""``/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/...``"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.associations_v4.models import (
    BATCH_INPUT_DEFAULT,
    public_default_associations_json,
)
from hubgraph.api.body import parse_body, read_body
from hubgraph.api.common import batch_envelope, json_response
from hubgraph.api.deps import PrincipalDep, ServicesDep
from hubgraph.errors import TooManyInputs
from hubgraph.services import associations
from hubgraph.services.clock import now_ms

router = APIRouter(prefix="/crm/v4/associations/{fromObjectType}/{toObjectType}/batch")


@router.post("/associate/default")
async def create_default(
    fromObjectType: str,  # noqa: N803 - HubSpot's parameter name
    toObjectType: str,  # noqa: N803
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponsePublicDefaultAssociation; always 200, the one code the SDK parses here."""
    started = now_ms()
    raw = await read_body(request, services.settings.max_body_bytes)
    batch = parse_body(raw, BATCH_INPUT_DEFAULT)
    inputs = batch["inputs"]
    if len(inputs) > services.settings.max_association_batch_inputs:
        raise TooManyInputs(services.settings.max_association_batch_inputs)
    pairs = [associations.ObjectPair(i["from"]["id"], i["to"]["id"]) for i in inputs]
    outcome = await run_in_threadpool(
        associations.create_default, services, principal, fromObjectType, toObjectType, pairs
    )
    results = public_default_associations_json(outcome.results)
    return json_response(batch_envelope(results, outcome.errors, started, now_ms()))
