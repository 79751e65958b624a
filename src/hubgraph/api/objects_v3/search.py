"""``POST /crm/v3/objects/{objectType}/search``"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.http.body import parse_body, read_body
from hubgraph.api.http.common import json_response
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.api.objects_v3.search_models import SEARCH_REQUEST, collection_response_with_total
from hubgraph.services.search import records

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/v3/objects/{objectType}")


@router.post("/search")
async def do_search(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    body = parse_body(await read_body(request, services.settings.max_body_bytes), SEARCH_REQUEST)
    search_request = body.as_request()
    page = await run_in_threadpool(records.search, services, principal, objectType, search_request)
    return json_response(collection_response_with_total(page))
