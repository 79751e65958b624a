"""``/crm/v3/objects/{objectType}`` and ``/crm/v3/objects/{objectType}/{objectId}``"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.body import parse_body, read_body
from hubgraph.api.common import json_response, no_content
from hubgraph.api.deps import PrincipalDep, ServicesDep
from hubgraph.api.objects_v3.models import (
    OBJECT_INPUT,
    SimplePublicObjectInputForCreate,
    requested_properties,
    simple_public_object,
)
from hubgraph.errors import ValidationError
from hubgraph.services import objects

router = APIRouter(prefix="/crm/v3/objects/{objectType}")

MAX_PAGE_SIZE = 100


def reject_associations(inputs: Sequence[SimplePublicObjectInputForCreate]) -> None:
    if any(i.associations for i in inputs):
        raise ValidationError(
            "hubgraph does not yet create associations together with records; "
            "create the record, then use the Associations v4 API"
        )


@router.post("")
async def create(
    objectType: str,  # noqa: N803 - HubSpot's parameter name
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    body = parse_body(await read_body(request, services.settings.max_body_bytes), OBJECT_INPUT)
    reject_associations([body])
    created = await run_in_threadpool(
        objects.create_objects, services, principal, objectType, [body.properties]
    )
    return json_response(simple_public_object(created[0]), 201)


@router.get("")
def get_page(
    objectType: str,  # noqa: N803
    services: ServicesDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 10,
    after: str | None = None,
    properties: Annotated[list[str] | None, Query()] = None,
    archived: bool = False,
) -> Response:
    page = objects.list_objects(
        services, principal, objectType, limit=limit, after=after, archived=archived
    )
    only = requested_properties(properties)
    body: dict[str, object] = {"results": [simple_public_object(o, only) for o in page.objects]}
    if page.next_after is not None:
        body["paging"] = {"next": {"after": page.next_after}}
    return json_response(body)


@router.get("/{objectId}")
def get_by_id(
    objectType: str,  # noqa: N803
    objectId: str,  # noqa: N803
    services: ServicesDep,
    principal: PrincipalDep,
    properties: Annotated[list[str] | None, Query()] = None,
    archived: bool = False,
) -> Response:
    found = objects.get_object(services, principal, objectType, objectId, archived=archived)
    return json_response(simple_public_object(found, requested_properties(properties)))


@router.delete("/{objectId}")
def archive(
    objectType: str,  # noqa: N803
    objectId: str,  # noqa: N803
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    objects.archive_object(services, principal, objectType, objectId)
    return no_content()
