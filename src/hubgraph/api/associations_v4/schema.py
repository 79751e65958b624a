"""Associations Schema v4: labels and limit configurations (reference §2).

Every route answers under both prefixes: ``/crm/associations/v4`` (the current spec and
the docs) and ``/crm/v4/associations`` (what the official SDKs call). Routes with fixed
segments (``definitions/configurations/…``) are declared before the ``{from}/{to}`` ones.
"""

from __future__ import annotations

from typing import TypeVar

from fastapi import APIRouter, Request
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.associations_v4.schema_models import (
    CONFIGURATION_BATCH,
    DEFINITION_CREATE,
    DEFINITION_UPDATE,
    SPEC_BATCH,
    association_spec_with_label,
    configuration_update_result,
    user_configuration,
)
from hubgraph.api.http.body import parse_body, read_batch, read_body
from hubgraph.api.http.common import batch_response, json_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.services.access.portals import Principal
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.schema import labels, limit_configurations
from hubgraph.services.schema.limit_configurations import LimitInput, Mode, TypeSpec

router = APIRouter(route_class=DeferredAPIRoute)

SPEC = "/crm/associations/v4"
SDK = "/crm/v4/associations"
CONFIGURATIONS = "/definitions/configurations"
PAIR = "/{fromObjectType}/{toObjectType}"

B = TypeVar("B")


async def _batch_body(request: Request, services: Services) -> bytes:
    return await read_body(request, services.settings.max_body_bytes)


async def _configuration_batch(request: Request, services: Services, adapter: TypeAdapter[B]) -> B:
    # The configuration batches' limit is undocumented (reference §3): the v4 one is used.
    return await read_batch(
        request,
        adapter,
        max_body=services.settings.max_body_bytes,
        max_inputs=services.settings.max_association_batch_inputs,
    )


# --- limit configurations ---------------------------------------------------------------


@router.get(SPEC + CONFIGURATIONS + "/all")
@router.get(SDK + CONFIGURATIONS + "/all")
async def get_all_configurations(services: ServicesDep, principal: PrincipalDep) -> Response:
    """CollectionResponsePublicAssociationDefinitionUserConfigurationNoPaging, 200."""
    found = await run_in_threadpool(limit_configurations.list_all, services, principal)
    return json_response({"results": [user_configuration(c) for c in found]})


@router.get(SPEC + CONFIGURATIONS + PAIR)
@router.get(SDK + CONFIGURATIONS + PAIR)
async def get_pair_configurations(
    fromObjectType: str,
    toObjectType: str,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """CollectionResponsePublicAssociationDefinitionUserConfigurationNoPaging, 200."""
    found = await run_in_threadpool(
        limit_configurations.list_for_pair, services, principal, fromObjectType, toObjectType
    )
    return json_response({"results": [user_configuration(c) for c in found]})


async def _set_configurations(
    from_type: str,
    to_type: str,
    request: Request,
    services: Services,
    principal: Principal,
    mode: Mode,
) -> Response:
    """batch/create and batch/update differ only in mode, result shape and success code."""
    started = now_ms()
    batch = await _configuration_batch(request, services, CONFIGURATION_BATCH)
    inputs = [LimitInput(i.category, i.typeId, i.maxToObjectIds) for i in batch.inputs]
    outcome = await run_in_threadpool(
        limit_configurations.set_limits, services, principal, from_type, to_type, inputs, mode
    )
    if mode is Mode.CREATE:
        results, success = [user_configuration(c) for c in outcome.results], 201
    else:
        results, success = [configuration_update_result(c) for c in outcome.results], 200
    return batch_response(results, outcome.errors, started, success)


@router.post(SPEC + CONFIGURATIONS + PAIR + "/batch/create")
@router.post(SDK + CONFIGURATIONS + PAIR + "/batch/create")
async def create_configurations(
    fromObjectType: str,
    toObjectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponsePublicAssociationDefinitionUserConfiguration: 201, or 207 with errors."""
    return await _set_configurations(
        fromObjectType, toObjectType, request, services, principal, Mode.CREATE
    )


@router.post(SPEC + CONFIGURATIONS + PAIR + "/batch/update")
@router.post(SDK + CONFIGURATIONS + PAIR + "/batch/update")
async def update_configurations(
    fromObjectType: str,
    toObjectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponsePublicAssociationDefinitionConfigurationUpdateResult: 200, or 207."""
    return await _set_configurations(
        fromObjectType, toObjectType, request, services, principal, Mode.UPDATE
    )


@router.post(SPEC + CONFIGURATIONS + PAIR + "/batch/purge")
@router.post(SDK + CONFIGURATIONS + PAIR + "/batch/purge")
async def purge_configurations(
    fromObjectType: str,
    toObjectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """204: the listed types go back to HubSpot's default limit."""
    batch = await _configuration_batch(request, services, SPEC_BATCH)
    specs = [TypeSpec(i.category, i.typeId) for i in batch.inputs]
    await run_in_threadpool(
        limit_configurations.purge_limits, services, principal, fromObjectType, toObjectType, specs
    )
    return no_content()


# --- labels (association definitions) ---------------------------------------------------


@router.get(SPEC + PAIR + "/labels")
@router.get(SDK + PAIR + "/labels")
async def get_labels(
    fromObjectType: str,
    toObjectType: str,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """CollectionResponseAssociationSpecWithLabelNoPaging, 200."""
    found = await run_in_threadpool(
        labels.list_labels, services, principal, fromObjectType, toObjectType
    )
    return json_response({"results": [association_spec_with_label(t) for t in found]})


@router.post(SPEC + PAIR + "/labels")
@router.post(SDK + PAIR + "/labels")
async def create_label(
    fromObjectType: str,
    toObjectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """CollectionResponseAssociationSpecWithLabelNoPaging with the new types; 200, not 201."""
    body = parse_body(await _batch_body(request, services), DEFINITION_CREATE)
    created = await run_in_threadpool(
        lambda: labels.create_label(
            services,
            principal,
            fromObjectType,
            toObjectType,
            name=body.name,
            label=body.label,
            inverse_label=body.inverseLabel,
        )
    )
    return json_response({"results": [association_spec_with_label(t) for t in created]})


@router.put(SPEC + PAIR + "/labels")
@router.put(SDK + PAIR + "/labels")
async def update_label(
    fromObjectType: str,
    toObjectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """204."""
    body = parse_body(await _batch_body(request, services), DEFINITION_UPDATE)
    await run_in_threadpool(
        lambda: labels.update_label(
            services,
            principal,
            fromObjectType,
            toObjectType,
            type_id=body.associationTypeId,
            label=body.label,
            inverse_label=body.inverseLabel,
        )
    )
    return no_content()


@router.delete(SPEC + PAIR + "/labels/{associationTypeId}")
@router.delete(SDK + PAIR + "/labels/{associationTypeId}")
async def delete_label(
    fromObjectType: str,
    toObjectType: str,
    associationTypeId: int,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """204."""
    await run_in_threadpool(
        labels.delete_label, services, principal, fromObjectType, toObjectType, associationTypeId
    )
    return no_content()
