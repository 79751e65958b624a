"""``POST /crm/objects/2026-03/{objectType}/search``: the same request and answer as v3's
(reference §4.9), so v3's handler is registered under the 2026-03 path."""

from __future__ import annotations

from fastapi import APIRouter

from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.objects_v3 import search as v3

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/objects/2026-03")

router.add_api_route("/{objectType}/search", v3.do_search, methods=["POST"])
