"""``/crm/v4/objects/{objectType}/{objectId}/associations/...``: one record's associations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.associations_v4.models import (
    ASSOCIATION_SPECS,
    labels_between_object_pair,
    page_body_json,
    public_default_association,
)
from hubgraph.api.http.body import parse_body, read_body
from hubgraph.api.http.common import (
    JSONBytesResponse,
    batch_response,
    json_response,
    no_content,
)
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.api.http.fast_lane import (
    ANY,
    DIGITS,
    FastRoute,
    PathParams,
    QueryParams,
    caller,
    services_of,
)
from hubgraph.api.http.offload import run_read
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations import deletes as association_deletes
from hubgraph.services.associations import labelled_writes as association_labels
from hubgraph.services.associations import reads as association_reads
from hubgraph.services.associations.default_writes import (
    create_default_one,
    create_default_one_on_loop,
)
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/v4/objects")


@router.put("/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}")
async def create_default(
    fromObjectType: str,
    fromObjectId: str,
    toObjectType: str,
    toObjectId: str,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponsePublicDefaultAssociation with both directions; 200 (reference §1.2)."""
    return await run_in_threadpool(
        _create_default, services, principal, fromObjectType, fromObjectId, toObjectType, toObjectId
    )


async def fast_create_default(request: Request, path: PathParams, _: QueryParams) -> Response:
    services = services_of(request)
    principal = await caller(request)
    started = now_ms()
    ends = (path["fromObjectType"], path["fromObjectId"], path["toObjectType"], path["toObjectId"])
    # live records, nothing listening, the writer free: written on the loop, without the
    # worker thread's hops
    rows = await create_default_one_on_loop(services, principal, *ends)
    if rows is not None:
        return batch_response([public_default_association(r) for r in rows], [], started)
    return await run_in_threadpool(_create_default, services, principal, *ends)


def _create_default(
    services: Services,
    principal: Principal,
    from_type: str,
    from_id: str,
    to_type: str,
    to_id: str,
) -> Response:
    started = now_ms()
    rows = create_default_one(services, principal, from_type, from_id, to_type, to_id)
    results = [public_default_association(r) for r in rows]
    return batch_response(results, [], started)


@router.put("/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}")
async def create(
    objectType: str,
    objectId: str,
    toObjectType: str,
    toObjectId: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """LabelsBetweenObjectPair; 201, the one code the SDK parses here (reference §1.0)."""
    specs = parse_body(
        await read_body(request, services.settings.max_body_bytes), ASSOCIATION_SPECS
    )
    result = await run_in_threadpool(
        association_labels.create_one,
        services,
        principal,
        objectType,
        objectId,
        toObjectType,
        toObjectId,
        [s.key for s in specs],
    )
    return json_response(labels_between_object_pair(result), 201)


@router.get("/{objectType}/{objectId}/associations/{toObjectType}")
async def get_page(
    objectType: str,
    objectId: str,
    toObjectType: str,
    services: ServicesDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query()] = association_reads.MAX_PAGE_SIZE,
    after: str | None = None,
) -> Response:
    """CollectionResponseMultiAssociatedObjectWithLabelForwardPaging, ascending toObjectId."""
    return await run_read(
        services, _get_page, services, principal, objectType, objectId, toObjectType, limit, after
    )


async def fast_get_page(request: Request, path: PathParams, query: QueryParams) -> Response:
    services = services_of(request)
    principal = await caller(request)
    limit = query.get("limit")
    after = query.get("after")
    size = int(limit[0]) if limit else association_reads.MAX_PAGE_SIZE
    pool = services.loop_reads()
    if pool is not None:
        pages = await association_reads.get_page_rows_on_loop(
            services,
            pool,
            principal,
            path["objectType"],
            path["objectId"],
            path["toObjectType"],
            limit=size,
            after=after[0] if after else None,
        )
        if pages is not None:
            return JSONBytesResponse(page_body_json(pages))
    return await run_read(
        services,
        _get_page,
        services,
        principal,
        path["objectType"],
        path["objectId"],
        path["toObjectType"],
        size,
        after[0] if after else None,
    )


def _get_page(
    services: Services,
    principal: Principal,
    object_type: str,
    object_id: str,
    to_type: str,
    limit: int,
    after: str | None,
) -> Response:
    pages = association_reads.get_page_rows(
        services, principal, object_type, object_id, to_type, limit=limit, after=after
    )
    return JSONBytesResponse(page_body_json(pages))


FAST_ROUTES = [
    FastRoute(
        "PUT",
        "/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}",
        fast_create_default,
        numeric=frozenset({"fromObjectId", "toObjectId"}),
    ),
    FastRoute(
        "GET",
        "/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}",
        fast_get_page,
        numeric=frozenset({"objectId"}),
        query={"limit": DIGITS, "after": ANY},
    ),
]


@router.delete("/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}")
def archive(
    objectType: str,
    objectId: str,
    toObjectType: str,
    toObjectId: str,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """Every type between the pair, both directions; 204 even when there was none."""
    association_deletes.archive_pairs(
        services, principal, objectType, toObjectType, [(objectId, toObjectId)]
    )
    return no_content()
