"""``POST /crm/associations/2026-03/usage/high-usage-report/{userId}``: as v4's."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from hubgraph.api.associations_v4 import report as v4
from hubgraph.api.deps import PrincipalDep, ServicesDep

router = APIRouter(prefix="/crm/associations/2026-03/usage")


@router.post("/high-usage-report/{userId}")
def request(
    userId: int,  # noqa: N803 - HubSpot's parameter name
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """ReportCreationResponse, 200: as v4."""
    return v4.request(userId, services, principal)
