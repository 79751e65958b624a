"""``/crm/v3/objects/{objectType}`` and ``/crm/v3/objects/{objectType}/{objectId}``"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.http.body import parse_body, read_body
from hubgraph.api.http.common import json_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.api.http.fast_lane import (
    ANY,
    BOOLEAN,
    FastRoute,
    PathParams,
    QueryParams,
    caller,
    services_of,
)
from hubgraph.api.http.offload import run_read
from hubgraph.api.objects_v3.models import (
    MERGE_INPUT,
    OBJECT_INPUT,
    OBJECT_UPDATE,
    next_page,
    requested_properties,
    simple_public_object,
)
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations.embedded_reads import requested_types
from hubgraph.services.context import Services
from hubgraph.services.records import creation, reads, updates
from hubgraph.services.records import merge as merge_records

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/v3/objects/{objectType}")

MAX_PAGE_SIZE = 100


@router.post("")
async def create(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """SimplePublicObject, 201; with ``associations``, written in the same transaction."""
    body = parse_body(await read_body(request, services.settings.max_body_bytes), OBJECT_INPUT)
    created = await run_in_threadpool(
        creation.create_one, services, principal, objectType, body.as_input()
    )
    return json_response(simple_public_object(created), 201)


@router.post("/merge")
async def merge(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """SimplePublicObject, 200: the new record both ids now resolve to (reference §5)."""
    body = parse_body(await read_body(request, services.settings.max_body_bytes), MERGE_INPUT)
    merged = await run_in_threadpool(
        merge_records.merge,
        services,
        principal,
        objectType,
        body.primaryObjectId,
        body.objectIdToMerge,
    )
    return json_response(simple_public_object(merged))


@router.get("")
def get_page(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 10,
    after: str | None = None,
    properties: Annotated[list[str] | None, Query()] = None,
    associations: Annotated[list[str] | None, Query()] = None,
    archived: bool = False,
) -> Response:
    page = reads.list_objects(
        services,
        principal,
        objectType,
        limit=limit,
        after=after,
        archived=archived,
        associations=requested_types(services, associations, principal.portal_id),
    )
    only = requested_properties(properties)
    body: dict[str, object] = {"results": [simple_public_object(o, only) for o in page.objects]}
    if page.next_after is not None:
        body["paging"] = {"next": next_page(request, page.next_after)}
    return json_response(body)


@router.get("/{objectId}")
async def get_by_id(
    objectType: str,
    objectId: str,
    services: ServicesDep,
    principal: PrincipalDep,
    properties: Annotated[list[str] | None, Query()] = None,
    associations: Annotated[list[str] | None, Query()] = None,
    archived: bool = False,
    idProperty: str | None = None,
) -> Response:
    return await run_read(
        services,
        _get_by_id,
        services,
        principal,
        objectType,
        objectId,
        properties,
        associations,
        archived,
        idProperty,
    )


async def fast_get_by_id(request: Request, path: PathParams, query: QueryParams) -> Response:
    """``get_by_id`` for the fast lane (a numeric id, no ``idProperty``)."""
    services = services_of(request)
    principal = await caller(request)
    pool = services.loop_reads()
    if pool is not None and "associations" not in query and query.get("archived") != ["true"]:
        found = await reads.get_live_object_on_loop(
            services, pool, principal, path["objectType"], path["objectId"]
        )
        if found is not None:
            properties = requested_properties(query.get("properties"))
            return json_response(simple_public_object(found, properties))
    return await run_read(
        services,
        _get_by_id,
        services,
        principal,
        path["objectType"],
        path["objectId"],
        query.get("properties"),
        query.get("associations"),
        query.get("archived") == ["true"],
        None,
    )


def _get_by_id(
    services: Services,
    principal: Principal,
    object_type: str,
    object_id: str,
    properties: list[str] | None,
    associations: list[str] | None,
    archived: bool,
    id_property: str | None,
) -> Response:
    found = reads.get_object(
        services,
        principal,
        object_type,
        object_id,
        archived=archived,
        associations=requested_types(services, associations, principal.portal_id),
        id_property=id_property,
    )
    return json_response(simple_public_object(found, requested_properties(properties)))


FAST_ROUTES = [
    FastRoute(
        "GET",
        "/crm/v3/objects/{objectType}/{objectId}",
        fast_get_by_id,
        numeric=frozenset({"objectId"}),
        query={"properties": ANY, "associations": ANY, "archived": BOOLEAN},
        repeated=frozenset({"properties", "associations"}),
    )
]


@router.patch("/{objectId}")
async def update(
    objectType: str,
    objectId: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    idProperty: str | None = None,
) -> Response:
    """SimplePublicObject, 200: the properties sent are merged into the record's."""
    body = parse_body(await read_body(request, services.settings.max_body_bytes), OBJECT_UPDATE)
    updated = await run_in_threadpool(
        updates.update_object,
        services,
        principal,
        objectType,
        objectId,
        body.properties,
        idProperty,
    )
    return json_response(simple_public_object(updated))


@router.delete("/{objectId}")
def archive(
    objectType: str,
    objectId: str,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    reads.archive_object(services, principal, objectType, objectId)
    return no_content()
