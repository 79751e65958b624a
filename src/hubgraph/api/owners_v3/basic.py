"""``GET /crm/v3/owners/`` and ``GET /crm/v3/owners/{ownerId}``.

The spec writes the list path without the trailing slash, the SDKs, dlt's source and
Singer's tap with it; both are served. ``paging.next.link`` is an absolute URL of this
server: dlt's source follows it rather than building the next request itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from hubgraph.api.http.common import json_response
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.api.owners_v3.models import public_owner
from hubgraph.services.owners import owners

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/v3/owners")


@router.get("")
@router.get("/")
def get_page(
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query()] = owners.DEFAULT_LIMIT,
    after: str | None = None,
    email: str | None = None,
    archived: bool = False,
) -> Response:
    """``CollectionResponsePublicOwnerForwardPaging``."""
    page = owners.list_owners(
        services, principal, after=after, limit=limit, email=email, archived=archived
    )
    body: dict[str, object] = {"results": [public_owner(o) for o in page.owners]}
    if page.next_after is not None:
        link = str(request.url.include_query_params(after=page.next_after))
        body["paging"] = {"next": {"after": page.next_after, "link": link}}
    return json_response(body)


@router.get("/{ownerId}")
def get_by_id(
    ownerId: str,
    services: ServicesDep,
    principal: PrincipalDep,
    idProperty: str | None = None,
    archived: bool = False,
) -> Response:
    """``PublicOwner`` by owner id, or by user id with ``idProperty=userId``."""
    found = owners.get_owner(
        services, principal, ownerId, id_property=idProperty, archived=archived
    )
    return json_response(public_owner(found))
