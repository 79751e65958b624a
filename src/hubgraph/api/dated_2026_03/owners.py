"""``/crm/owners/2026-03`` and ``…/{ownerId}``: Owners v3's handlers under the new prefix."""

from __future__ import annotations

from fastapi import APIRouter

from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.owners_v3 import basic as v3

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/owners/2026-03")

router.add_api_route("", v3.get_page, methods=["GET"])
router.add_api_route("/{ownerId}", v3.get_by_id, methods=["GET"])
