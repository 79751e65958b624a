"""Associations Schema 2026-03: labels and limit configurations, as v4's (reference §2).

One prefix only: no SDK calls a ``/crm/2026-03/associations`` alias. Routes with fixed
segments (``definitions/configurations/…``) are declared before the ``{from}/{to}`` ones.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from hubgraph.api.associations_2026_03.common import completed_batch
from hubgraph.api.associations_v4 import schema as v4
from hubgraph.api.deps import PrincipalDep, ServicesDep
from hubgraph.services.clock import now_ms

PREFIX = "/crm/associations/2026-03"
CONFIGURATIONS = PREFIX + "/definitions/configurations"
PAIR = "/{fromObjectType}/{toObjectType}"

router = APIRouter()


# --- limit configurations ---------------------------------------------------------------


@router.get(CONFIGURATIONS + "/all")
async def get_all_configurations(services: ServicesDep, principal: PrincipalDep) -> Response:
    """CollectionResponsePublicAssociationDefinitionUserConfigurationNoPaging, 200."""
    return await v4.get_all_configurations(services, principal)


@router.get(CONFIGURATIONS + PAIR)
async def get_pair_configurations(
    fromObjectType: str,  # noqa: N803 - HubSpot's parameter name
    toObjectType: str,  # noqa: N803
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """CollectionResponsePublicAssociationDefinitionUserConfigurationNoPaging, 200."""
    return await v4.get_pair_configurations(fromObjectType, toObjectType, services, principal)


@router.post(CONFIGURATIONS + PAIR + "/batch/create")
async def create_configurations(
    fromObjectType: str,  # noqa: N803
    toObjectType: str,  # noqa: N803
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponsePublicAssociationDefinitionUserConfiguration, 201 or 207."""
    return await v4.create_configurations(
        fromObjectType, toObjectType, request, services, principal
    )


@router.post(CONFIGURATIONS + PAIR + "/batch/update")
async def update_configurations(
    fromObjectType: str,  # noqa: N803
    toObjectType: str,  # noqa: N803
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponsePublicAssociationDefinitionConfigurationUpdateResult, 200 or 207."""
    return await v4.update_configurations(
        fromObjectType, toObjectType, request, services, principal
    )


@router.post(CONFIGURATIONS + PAIR + "/batch/purge")
async def purge_configurations(
    fromObjectType: str,  # noqa: N803
    toObjectType: str,  # noqa: N803
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """v4's purge, answered with a 200 BatchResponse where v4 answers 204 (§1.12)."""
    started = now_ms()
    await v4.purge_configurations(fromObjectType, toObjectType, request, services, principal)
    return completed_batch(started)


# --- labels (association definitions) ---------------------------------------------------


@router.get(PREFIX + PAIR + "/labels")
async def get_labels(
    fromObjectType: str,  # noqa: N803
    toObjectType: str,  # noqa: N803
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """CollectionResponseAssociationSpecWithLabelNoPaging, 200."""
    return await v4.get_labels(fromObjectType, toObjectType, services, principal)


@router.post(PREFIX + PAIR + "/labels")
async def create_label(
    fromObjectType: str,  # noqa: N803
    toObjectType: str,  # noqa: N803
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """CollectionResponseAssociationSpecWithLabelNoPaging with the new types; 200."""
    return await v4.create_label(fromObjectType, toObjectType, request, services, principal)


@router.put(PREFIX + PAIR + "/labels")
async def update_label(
    fromObjectType: str,  # noqa: N803
    toObjectType: str,  # noqa: N803
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """204: the 2026-03 spec keeps v4's code here."""
    return await v4.update_label(fromObjectType, toObjectType, request, services, principal)


@router.delete(PREFIX + PAIR + "/labels/{associationTypeId}")
async def delete_label(
    fromObjectType: str,  # noqa: N803
    toObjectType: str,  # noqa: N803
    associationTypeId: int,  # noqa: N803
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """204: the 2026-03 spec keeps v4's code here."""
    return await v4.delete_label(
        fromObjectType, toObjectType, associationTypeId, services, principal
    )
