"""``/crm/associations/2026-03/{fromObjectType}/{toObjectType}/batch/...``"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from hubgraph.api.associations_2026_03.common import completed_batch
from hubgraph.api.associations_v4 import batch as v4
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.services.clock import now_ms

router = APIRouter(
    route_class=DeferredAPIRoute,
    prefix="/crm/associations/2026-03/{fromObjectType}/{toObjectType}/batch",
)


# As v4: v4's handlers, registered under the 2026-03 paths.
router.add_api_route("/associate/default", v4.create_default, methods=["POST"])
router.add_api_route("/create", v4.create, methods=["POST"])
router.add_api_route("/read", v4.get_page, methods=["POST"])


@router.post("/archive")
async def archive(
    fromObjectType: str,
    toObjectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """v4's archive, answered with a 200 BatchResponse where v4 answers 204 (§1.12)."""
    started = now_ms()
    await v4.archive(fromObjectType, toObjectType, request, services, principal)
    return completed_batch(started)


@router.post("/labels/archive")
async def archive_labels(
    fromObjectType: str,
    toObjectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """v4's labels archive, answered with a 200 BatchResponse where v4 answers 204 (§1.12)."""
    started = now_ms()
    await v4.archive_labels(fromObjectType, toObjectType, request, services, principal)
    return completed_batch(started)
