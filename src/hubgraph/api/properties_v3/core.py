"""``/crm/v3/properties/{objectType}`` and ``…/{propertyName}``"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.http.body import parse_body, read_body
from hubgraph.api.http.common import json_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.api.properties_v3.models import (
    PROPERTY_CREATE,
    PROPERTY_UPDATE,
    DataSensitivity,
    location,
    model_property,
)
from hubgraph.services.properties import definitions

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/v3/properties/{objectType}")


@router.get("")
def get_all(
    objectType: str,
    services: ServicesDep,
    principal: PrincipalDep,
    archived: bool = False,
    dataSensitivity: DataSensitivity | None = None,
    locale: str | None = None,
) -> Response:
    """CollectionResponsePropertyNoPaging: every property at once (no paging, spec)."""
    found = definitions.list_properties(
        services, principal, objectType, archived=archived, data_sensitivity=dataSensitivity
    )
    return json_response({"results": [model_property(d) for d in found]})


@router.post("")
async def create(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """Property, 201, with its address in ``Location``."""
    body = parse_body(await read_body(request, services.settings.max_body_bytes), PROPERTY_CREATE)
    created = await run_in_threadpool(
        definitions.create_property, services, principal, objectType, body.as_draft()
    )
    response = json_response(model_property(created), 201)
    response.headers["Location"] = location(request, created.name)
    return response


@router.get("/{propertyName}")
def get_by_name(
    objectType: str,
    propertyName: str,
    services: ServicesDep,
    principal: PrincipalDep,
    archived: bool = False,
    locale: str | None = None,
) -> Response:
    found = definitions.get_property(
        services, principal, objectType, propertyName, archived=archived
    )
    return json_response(model_property(found))


@router.patch("/{propertyName}")
async def update(
    objectType: str,
    propertyName: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    body = parse_body(await read_body(request, services.settings.max_body_bytes), PROPERTY_UPDATE)
    updated = await run_in_threadpool(
        definitions.update_property, services, principal, objectType, propertyName, body.changes()
    )
    return json_response(model_property(updated))


@router.delete("/{propertyName}")
def archive(
    objectType: str,
    propertyName: str,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    definitions.archive_property(services, principal, objectType, propertyName)
    return no_content()
