"""``GET /crm-pipelines/v1/pipelines/{objectType}`` and ``GET /deals/v1/pipelines``.

Read-only views of the same pipelines Pipelines v3 manages, in the legacy shapes that
sync tools still read: Meltano's tap-hubspot reads the first for deals and tickets,
Singer's tap-hubspot the second. ``includeInactive=INCLUDE_DELETED`` adds deleted
pipelines (``active: false``); the default is ``EXCLUDE_DELETED``.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from hubgraph.api.http.common import json_response
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.errors import ValidationError
from hubgraph.services.pipelines import reads
from hubgraph.services.pipelines.render import deals_v1_pipeline_json, legacy_pipeline_json

router = APIRouter(route_class=DeferredAPIRoute)

INCLUDE_INACTIVE = ("EXCLUDE_DELETED", "INCLUDE_DELETED")


def _include_deleted(value: str) -> bool:
    if value not in INCLUDE_INACTIVE:
        raise ValidationError(
            f"includeInactive must be one of {', '.join(INCLUDE_INACTIVE)}, not {value}"
        )
    return value == "INCLUDE_DELETED"


@router.get("/crm-pipelines/v1/pipelines/{objectType}")
def get_crm_pipelines(
    objectType: str,
    services: ServicesDep,
    principal: PrincipalDep,
    includeInactive: str = "EXCLUDE_DELETED",
) -> Response:
    """``{"results": [pipeline]}``: epoch-ms times, ``pipelineId``/``stageId``, ``active``."""
    found = reads.get_all(
        services, principal, objectType, archived=_include_deleted(includeInactive)
    )
    defaults = found.default_ids
    return json_response(
        {"results": [legacy_pipeline_json(found.object_type, p, defaults) for p in found.pipelines]}
    )


@router.get("/deals/v1/pipelines")
def get_deal_pipelines(
    services: ServicesDep,
    principal: PrincipalDep,
    includeInactive: str = "EXCLUDE_DELETED",
) -> Response:
    """A JSON array of deal pipelines, as the Deal Pipelines v1 API answers."""
    found = reads.get_all(services, principal, "deals", archived=_include_deleted(includeInactive))
    defaults = found.default_ids
    return json_response([deals_v1_pipeline_json(p, defaults) for p in found.pipelines])
