"""``/crm/v3/properties/{objectType}/groups`` and ``…/groups/{groupName}``"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.http.body import parse_body, read_body
from hubgraph.api.http.common import json_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.api.properties_v3.models import GROUP_CREATE, GROUP_UPDATE, location, property_group
from hubgraph.services.properties import groups

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/v3/properties/{objectType}/groups")


@router.get("")
def get_all(
    objectType: str,
    services: ServicesDep,
    principal: PrincipalDep,
    locale: str | None = None,
) -> Response:
    found = groups.list_groups(services, principal, objectType)
    return json_response({"results": [property_group(g) for g in found]})


@router.post("")
async def create(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """PropertyGroup, 201, with its address in ``Location``."""
    body = parse_body(await read_body(request, services.settings.max_body_bytes), GROUP_CREATE)
    created = await run_in_threadpool(
        groups.create_group, services, principal, objectType, body.as_group()
    )
    response = json_response(property_group(created), 201)
    response.headers["Location"] = location(request, created.name)
    return response


@router.get("/{groupName}")
def get_by_name(
    objectType: str,
    groupName: str,
    services: ServicesDep,
    principal: PrincipalDep,
    locale: str | None = None,
) -> Response:
    return json_response(
        property_group(groups.get_group(services, principal, objectType, groupName))
    )


@router.patch("/{groupName}")
async def update(
    objectType: str,
    groupName: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    body = parse_body(await read_body(request, services.settings.max_body_bytes), GROUP_UPDATE)
    updated = await run_in_threadpool(
        groups.update_group,
        services,
        principal,
        objectType,
        groupName,
        body.label,
        body.displayOrder,
    )
    return json_response(property_group(updated))


@router.delete("/{groupName}")
def archive(
    objectType: str,
    groupName: str,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    groups.archive_group(services, principal, objectType, groupName)
    return no_content()
