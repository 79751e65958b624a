"""``/settings/v3/users/``, ``…/{userId}``, ``…/teams`` and ``…/roles`` (reads only).

The SDK lists users at ``/settings/v3/users/``; the spec writes ``/settings/users/v3``;
Meltano's tap-hubspot asks for ``/settings/v3/users``. All three are served. Users are the
portal's owners that have a user id; they hold no roles, so ``roles`` is empty.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from hubgraph.api.http.common import json_response
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.api.settings_users_v3.models import public_team, public_user
from hubgraph.domain.scopes import USERS_READ_SCOPES
from hubgraph.services.owners import users

router = APIRouter(route_class=DeferredAPIRoute)


@router.get("/settings/v3/users")
@router.get("/settings/v3/users/")
@router.get("/settings/users/v3")
def get_page(
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    limit: int = users.DEFAULT_LIMIT,
    after: str | None = None,
) -> Response:
    """``CollectionResponsePublicUserForwardPaging``, in user-id order."""
    page = users.list_users(services, principal, after=after, limit=limit)
    body: dict[str, object] = {"results": [public_user(u) for u in page.users]}
    if page.next_after is not None:
        link = str(request.url.include_query_params(after=page.next_after))
        body["paging"] = {"next": {"after": page.next_after, "link": link}}
    return json_response(body)


# Fixed segments before ``/{userId}``, so "teams" and "roles" are never taken for ids.
@router.get("/settings/v3/users/teams")
def get_teams(services: ServicesDep, principal: PrincipalDep) -> Response:
    """``CollectionResponsePublicTeamNoPaging``."""
    teams = users.list_teams(services, principal)
    return json_response({"results": [public_team(t) for t in teams]})


@router.get("/settings/v3/users/roles")
def get_roles(principal: PrincipalDep) -> Response:
    """``CollectionResponsePublicPermissionSetNoPaging``: hubgraph has no roles to list."""
    principal.require_any(USERS_READ_SCOPES)
    return json_response({"results": []})


@router.get("/settings/v3/users/{userId}")
def get_by_id(
    userId: str,
    services: ServicesDep,
    principal: PrincipalDep,
    idProperty: str | None = None,
) -> Response:
    """``PublicUser`` by user id, or by e-mail with ``idProperty=EMAIL``."""
    return json_response(public_user(users.get_user(services, principal, userId, idProperty)))
