"""``POST /_hubgraph/objects/{objectType}/{objectId}/restore``: HubSpot restores in its UI."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from hubgraph.api.http.common import json_response
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.api.objects_v3.models import simple_public_object
from hubgraph.services.records.restore import restore_object

router = APIRouter(route_class=DeferredAPIRoute, prefix="/_hubgraph/objects")


@router.post("/{objectType}/{objectId}/restore")
def restore(
    objectType: str,
    objectId: str,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """The record, live again (SimplePublicObject), with its associations back; 200."""
    return json_response(
        simple_public_object(restore_object(services, principal, objectType, objectId))
    )
