"""``/crm/objects/2026-03/{objectType}/{objectId}/associations/...``: v4's handlers.

Every operation here behaves as v4's, so v4's handler functions are registered under the
2026-03 paths. ``POST /crm/objects/2026-03/{objectType}/search`` shares the spec but is a
record search, not an associations operation: not served (docs/compat.md).
"""

from __future__ import annotations

from fastapi import APIRouter

from hubgraph.api.associations_v4 import basic as v4
from hubgraph.api.http.deferred_route import DeferredAPIRoute

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/objects/2026-03")

router.add_api_route(
    "/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}",
    v4.create_default,
    methods=["PUT"],
)
router.add_api_route(
    "/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}", v4.create, methods=["PUT"]
)
router.add_api_route(
    "/{objectType}/{objectId}/associations/{toObjectType}", v4.get_page, methods=["GET"]
)
router.add_api_route(
    "/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}",
    v4.archive,
    methods=["DELETE"],
)
