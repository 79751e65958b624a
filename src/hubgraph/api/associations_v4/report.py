"""``POST /crm/v4/associations/usage/high-usage-report/{userId}``"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from hubgraph.api.http.common import json_response
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.services.clock import iso
from hubgraph.services.operations import high_usage_reports

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/v4/associations/usage")


@router.post("/high-usage-report/{userId}")
def request(
    userId: int,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """ReportCreationResponse; ``enqueueTime`` is ISO-8601, which the SDK parses (§1.11).

    There are no users here, so ``userEmail`` is empty (docs/compat.md).
    """
    report = high_usage_reports.request_report(services, principal, userId)
    return json_response(
        {"userId": report.user_id, "userEmail": "", "enqueueTime": iso(report.enqueued_at)}
    )
