"""Associations Schema 2026-03: labels and limit configurations, as v4's (reference §2).

One prefix only: no SDK calls a ``/crm/2026-03/associations`` alias. Routes with fixed
segments (``definitions/configurations/…``) are declared before the ``{from}/{to}`` ones.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from hubgraph.api.associations_2026_03.common import completed_batch
from hubgraph.api.associations_v4 import schema as v4
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.services.clock import now_ms

PREFIX = "/crm/associations/2026-03"
CONFIGURATIONS = PREFIX + "/definitions/configurations"
PAIR = "/{fromObjectType}/{toObjectType}"

router = APIRouter(route_class=DeferredAPIRoute)


# --- limit configurations ---------------------------------------------------------------


# As v4: v4's handlers, registered under the 2026-03 paths. Fixed segments first.
router.add_api_route(CONFIGURATIONS + "/all", v4.get_all_configurations, methods=["GET"])
router.add_api_route(CONFIGURATIONS + PAIR, v4.get_pair_configurations, methods=["GET"])
router.add_api_route(
    CONFIGURATIONS + PAIR + "/batch/create", v4.create_configurations, methods=["POST"]
)
router.add_api_route(
    CONFIGURATIONS + PAIR + "/batch/update", v4.update_configurations, methods=["POST"]
)


@router.post(CONFIGURATIONS + PAIR + "/batch/purge")
async def purge_configurations(
    fromObjectType: str,
    toObjectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """v4's purge, answered with a 200 BatchResponse where v4 answers 204 (§1.12)."""
    started = now_ms()
    await v4.purge_configurations(fromObjectType, toObjectType, request, services, principal)
    return completed_batch(started)


# --- labels (association definitions) ---------------------------------------------------


router.add_api_route(PREFIX + PAIR + "/labels", v4.get_labels, methods=["GET"])
router.add_api_route(PREFIX + PAIR + "/labels", v4.create_label, methods=["POST"])
router.add_api_route(PREFIX + PAIR + "/labels", v4.update_label, methods=["PUT"])
router.add_api_route(
    PREFIX + PAIR + "/labels/{associationTypeId}", v4.delete_label, methods=["DELETE"]
)
