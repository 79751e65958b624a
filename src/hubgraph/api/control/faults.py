"""``/_hubgraph/faults``: inject latency, 429s, 423s and 5xx into HubSpot routes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.control.models import FAULT_INPUT
from hubgraph.api.http.body import parse_body, read_body
from hubgraph.api.http.common import json_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import AdminDep, ServicesDep
from hubgraph.domain.faults import Fault, InvalidFault
from hubgraph.errors import ValidationError
from hubgraph.services.access import faults

router = APIRouter(
    route_class=DeferredAPIRoute, prefix="/_hubgraph/faults", dependencies=[AdminDep]
)


def _render(fault: Fault) -> dict[str, Any]:
    return {
        "id": fault.id,
        "route": fault.route,
        "method": fault.method,
        "portalId": fault.portal_id,
        "status": fault.status,
        "latencyMs": fault.latency_ms,
        "rate": fault.rate,
        "count": fault.count,
    }


@router.post("")
async def add_fault(request: Request, services: ServicesDep) -> Response:
    body = parse_body(await read_body(request, services.settings.max_body_bytes), FAULT_INPUT)
    try:
        fault = await run_in_threadpool(
            lambda: faults.add_fault(
                services,
                route=body.route,
                method=body.method,
                portal_id=body.portal_id,
                status=body.status,
                latency_ms=body.latency_ms,
                rate=body.rate,
                count=body.count,
            )
        )
    except InvalidFault as exc:
        raise ValidationError(f"Invalid fault: {exc}") from None
    return json_response(_render(fault), 201)


@router.get("")
async def list_faults(services: ServicesDep, portalId: int | None = None) -> Response:
    found = await run_in_threadpool(faults.list_faults, services, portalId)
    return json_response({"results": [_render(f) for f in found]})


@router.delete("")
async def clear_faults(services: ServicesDep, portalId: int | None = None) -> Response:
    await run_in_threadpool(faults.clear_faults, services, portalId)
    return no_content()
