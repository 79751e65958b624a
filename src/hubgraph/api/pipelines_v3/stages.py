"""``/crm/v3/pipelines/{objectType}/{pipelineId}/stages`` and ``…/{stageId}`` (and its
``/audit``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.http.body import parse_body, read_body
from hubgraph.api.http.common import json_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.api.pipelines_v3.models import (
    STAGE_INPUT,
    STAGE_PATCH_INPUT,
    STAGE_REPLACE_INPUT,
    public_audit_info,
)
from hubgraph.api.pipelines_v3.pipelines import created
from hubgraph.services.pipelines import reads, writes
from hubgraph.services.pipelines.render import stage_json

router = APIRouter(
    route_class=DeferredAPIRoute, prefix="/crm/v3/pipelines/{objectType}/{pipelineId}/stages"
)


@router.get("")
def get_all(
    objectType: str,
    pipelineId: str,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """``CollectionResponsePipelineStageNoPaging``, in display order."""
    stages = reads.get_stages(services, principal, objectType, pipelineId)
    return json_response({"results": [stage_json(s) for s in stages]})


@router.post("")
async def create(
    objectType: str,
    pipelineId: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    body = parse_body(await read_body(request, services.settings.max_body_bytes), STAGE_INPUT)
    stage = await run_in_threadpool(
        writes.create_stage, services, principal, objectType, pipelineId, body.values()
    )
    return created(request, stage_json(stage), stage.id)


@router.get("/{stageId}")
def get_by_id(
    objectType: str,
    pipelineId: str,
    stageId: str,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    stage = reads.get_stage(services, principal, objectType, pipelineId, stageId)
    return json_response(stage_json(stage))


@router.put("/{stageId}")
async def replace(
    objectType: str,
    pipelineId: str,
    stageId: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    body = parse_body(
        await read_body(request, services.settings.max_body_bytes), STAGE_REPLACE_INPUT
    )
    stage = await run_in_threadpool(
        writes.replace_stage, services, principal, objectType, pipelineId, stageId, body.values()
    )
    return json_response(stage_json(stage))


@router.patch("/{stageId}")
async def update(
    objectType: str,
    pipelineId: str,
    stageId: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    body = parse_body(await read_body(request, services.settings.max_body_bytes), STAGE_PATCH_INPUT)
    stage = await run_in_threadpool(
        writes.update_stage, services, principal, objectType, pipelineId, stageId, body.values()
    )
    return json_response(stage_json(stage))


@router.delete("/{stageId}")
def archive(
    objectType: str,
    pipelineId: str,
    stageId: str,
    services: ServicesDep,
    principal: PrincipalDep,
    validateReferencesBeforeDelete: bool = False,
) -> Response:
    writes.archive_stage(
        services,
        principal,
        objectType,
        pipelineId,
        stageId,
        validate_references=validateReferencesBeforeDelete,
    )
    return no_content()


@router.get("/{stageId}/audit")
def get_audit(
    objectType: str,
    pipelineId: str,
    stageId: str,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    audits = reads.get_audit(services, principal, objectType, pipelineId, stageId)
    return json_response({"results": [public_audit_info(a, principal.portal_id) for a in audits]})
