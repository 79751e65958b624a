"""``/_hubgraph/reports/...``: reports HubSpot e-mails, kept here to be read."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from hubgraph.api.http.common import json_response
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.services.operations import high_usage_reports

router = APIRouter(route_class=DeferredAPIRoute, prefix="/_hubgraph/reports")


@router.get("/high-usage/{userId}")
def get_high_usage_report(
    userId: int,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """The user's latest high-usage report; 404 before the first one was requested."""
    report = high_usage_reports.latest_report(services, principal, userId)
    return json_response(high_usage_reports.render(report))
