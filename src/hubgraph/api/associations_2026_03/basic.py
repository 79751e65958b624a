"""``/crm/objects/2026-03/{objectType}/{objectId}/associations/...``: as v4's.

``POST /crm/objects/2026-03/{objectType}/search`` shares the spec but is a record search,
not an associations operation: not served (docs/compat.md).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from hubgraph.api.associations_v4 import basic as v4
from hubgraph.api.deps import PrincipalDep, ServicesDep
from hubgraph.services import association_reads

router = APIRouter(prefix="/crm/objects/2026-03")


@router.put("/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}")
def create_default(
    fromObjectType: str,  # noqa: N803 - HubSpot's parameter names
    fromObjectId: str,  # noqa: N803
    toObjectType: str,  # noqa: N803
    toObjectId: str,  # noqa: N803
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponsePublicDefaultAssociation, 200: as v4."""
    return v4.create_default(
        fromObjectType, fromObjectId, toObjectType, toObjectId, services, principal
    )


@router.put("/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}")
async def create(
    objectType: str,  # noqa: N803
    objectId: str,  # noqa: N803
    toObjectType: str,  # noqa: N803
    toObjectId: str,  # noqa: N803
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """LabelsBetweenObjectPair, 201: as v4."""
    return await v4.create(
        objectType, objectId, toObjectType, toObjectId, request, services, principal
    )


@router.get("/{objectType}/{objectId}/associations/{toObjectType}")
def get_page(
    objectType: str,  # noqa: N803
    objectId: str,  # noqa: N803
    toObjectType: str,  # noqa: N803
    services: ServicesDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query()] = association_reads.MAX_PAGE_SIZE,
    after: str | None = None,
) -> Response:
    """CollectionResponseMultiAssociatedObjectWithLabelForwardPaging, 200: as v4."""
    return v4.get_page(
        objectType, objectId, toObjectType, services, principal, limit=limit, after=after
    )


@router.delete("/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}")
def archive(
    objectType: str,  # noqa: N803
    objectId: str,  # noqa: N803
    toObjectType: str,  # noqa: N803
    toObjectId: str,  # noqa: N803
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """204 even when there was none: as v4 (the 2026-03 spec keeps 204 here)."""
    return v4.archive(objectType, objectId, toObjectType, toObjectId, services, principal)
