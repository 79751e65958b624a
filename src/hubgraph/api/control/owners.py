"""``/_hubgraph/portals/{portalId}/owners``: making owners, which HubSpot makes for users.

HubSpot has no API that creates owners (they come with users and queues), so hubgraph's
control plane does, behind the same guard as the rest of ``/_hubgraph/portals``.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.control.models import OWNER_CREATE_INPUT
from hubgraph.api.http.body import parse_body, read_body
from hubgraph.api.http.common import json_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import ServicesDep, require_admin
from hubgraph.api.owners_v3.models import public_owner
from hubgraph.services.owners import owners

router = APIRouter(
    route_class=DeferredAPIRoute,
    prefix="/_hubgraph/portals/{portalId}/owners",
    dependencies=[Depends(require_admin)],
)


@router.post("")
async def create_owner(portalId: int, request: Request, services: ServicesDep) -> Response:
    """201 ``PublicOwner``: ``{email?, firstName?, lastName?, userId?, type?, teams?}``."""
    body = parse_body(
        await read_body(request, services.settings.max_body_bytes), OWNER_CREATE_INPUT
    )
    given = owners.OwnerInput(
        email=body.email,
        first_name=body.first_name,
        last_name=body.last_name,
        user_id=body.user_id,
        type=body.type,
        teams=[owners.TeamInput(t.name, t.primary, t.id) for t in body.teams],
    )
    created = await run_in_threadpool(owners.create_owner, services, portalId, given)
    return json_response(public_owner(created), 201)


@router.delete("/{ownerId}")
def archive_owner(portalId: int, ownerId: int, services: ServicesDep) -> Response:
    """Archive an owner, as deactivating its user does: ``GET …?archived=true`` lists it."""
    owners.archive_owner(services, portalId, ownerId)
    return no_content()
