"""``POST /crm/associations/2026-03/usage/high-usage-report/{userId}``: v4's handler."""

from __future__ import annotations

from fastapi import APIRouter

from hubgraph.api.associations_v4 import report as v4
from hubgraph.api.http.deferred_route import DeferredAPIRoute

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/associations/2026-03/usage")

router.add_api_route("/high-usage-report/{userId}", v4.request, methods=["POST"])
