"""``/crm-object-schemas/v3/schemas`` and the older ``/crm/v3/schemas`` (same operations)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.http.body import parse_body, read_body
from hubgraph.api.http.common import json_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.api.schemas_v3.models import (
    ASSOCIATION_CREATE,
    SCHEMA_BATCH_READ,
    SCHEMA_CREATE,
    SCHEMA_PATCH,
    association_definition,
    object_schema,
    object_type_definition,
)
from hubgraph.services.custom_objects import schemas

PREFIXES = ("/crm-object-schemas/v3/schemas", "/crm/v3/schemas")


def _router(prefix: str) -> APIRouter:
    router = APIRouter(route_class=DeferredAPIRoute, prefix=prefix)

    @router.get("")
    def get_all(
        services: ServicesDep,
        principal: PrincipalDep,
        archived: bool = False,
        includeAssociationDefinitions: bool = True,
        includePropertyDefinitions: bool = True,
    ) -> Response:
        found = schemas.list_schemas(services, principal, archived=archived)
        return json_response(
            {
                "results": [
                    object_schema(
                        s,
                        properties=includePropertyDefinitions,
                        associations=includeAssociationDefinitions,
                    )
                    for s in found
                ]
            }
        )

    @router.post("")
    async def create(request: Request, services: ServicesDep, principal: PrincipalDep) -> Response:
        body = parse_body(await read_body(request, services.settings.max_body_bytes), SCHEMA_CREATE)
        created = await run_in_threadpool(
            schemas.create_schema, services, principal, body.as_draft()
        )
        return json_response(object_schema(created), 201)

    @router.post("/batch/read")
    async def batch_read(
        request: Request, services: ServicesDep, principal: PrincipalDep
    ) -> Response:
        raw = await read_body(request, services.settings.max_body_bytes)
        body = parse_body(raw, SCHEMA_BATCH_READ)
        found = await run_in_threadpool(schemas.read_schemas, services, principal, body.inputs)
        return json_response(
            {
                "results": [
                    object_schema(
                        s,
                        properties=body.includePropertyDefinitions,
                        associations=body.includeAssociationDefinitions,
                    )
                    for s in found
                ]
            }
        )

    @router.get("/{objectType}")
    def get_by_id(objectType: str, services: ServicesDep, principal: PrincipalDep) -> Response:
        return json_response(object_schema(schemas.get_schema(services, principal, objectType)))

    @router.patch("/{objectType}")
    async def update(
        objectType: str, request: Request, services: ServicesDep, principal: PrincipalDep
    ) -> Response:
        body = parse_body(await read_body(request, services.settings.max_body_bytes), SCHEMA_PATCH)
        updated = await run_in_threadpool(
            schemas.update_schema, services, principal, objectType, body.changes()
        )
        return json_response(object_type_definition(updated))

    @router.delete("/{objectType}")
    def archive(
        objectType: str, services: ServicesDep, principal: PrincipalDep, archived: bool = False
    ) -> Response:
        """``?archived=true`` is the hard delete that frees the name (reference §6.1)."""
        if archived:
            schemas.purge_schema(services, principal, objectType)
        else:
            schemas.archive_schema(services, principal, objectType)
        return no_content()

    @router.delete("/{objectType}/purge")
    def purge(objectType: str, services: ServicesDep, principal: PrincipalDep) -> Response:
        schemas.purge_schema(services, principal, objectType)
        return no_content()

    @router.post("/{objectType}/associations")
    async def create_association(
        objectType: str, request: Request, services: ServicesDep, principal: PrincipalDep
    ) -> Response:
        raw = await read_body(request, services.settings.max_body_bytes)
        body = parse_body(raw, ASSOCIATION_CREATE)
        created = await run_in_threadpool(
            schemas.create_association,
            services,
            principal,
            objectType,
            body.fromObjectTypeId,
            body.toObjectTypeId,
            body.name,
        )
        return json_response(association_definition(created), 201)

    @router.delete("/{objectType}/associations/{associationIdentifier}")
    def archive_association(
        objectType: str, associationIdentifier: str, services: ServicesDep, principal: PrincipalDep
    ) -> Response:
        schemas.archive_association(services, principal, objectType, associationIdentifier)
        return no_content()

    return router


routers = [_router(p) for p in PREFIXES]
