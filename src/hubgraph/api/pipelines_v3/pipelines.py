"""``/crm/v3/pipelines/{objectType}`` and ``…/{pipelineId}`` (and its ``/audit``)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.http.body import parse_body, read_body
from hubgraph.api.http.common import json_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.api.pipelines_v3.models import (
    PIPELINE_INPUT,
    PIPELINE_PATCH_INPUT,
    PIPELINE_REPLACE_INPUT,
    public_audit_info,
)
from hubgraph.services.pipelines import reads, writes
from hubgraph.services.pipelines.render import pipeline_json

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/v3/pipelines/{objectType}")


def created(request: Request, body: dict[str, object], new_id: str) -> Response:
    """201 with the ``Location`` of the new resource, as the spec's create responses have."""
    response = json_response(body, 201)
    # Percent-encoded: a chosen pipelineId may hold any text, and a header only Latin-1
    # (an id outside it was a 500, found by the contract fuzzer, issue 12).
    base = str(request.url).split("?", 1)[0].rstrip("/")
    response.headers["Location"] = f"{base}/{quote(new_id, safe='')}"
    return response


@router.get("")
def get_all(objectType: str, services: ServicesDep, principal: PrincipalDep) -> Response:
    """``CollectionResponsePipelineNoPaging``: the live pipelines, in display order."""
    found = reads.get_all(services, principal, objectType)
    return json_response({"results": [pipeline_json(p) for p in found.pipelines]})


@router.post("")
async def create(
    objectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    body = parse_body(await read_body(request, services.settings.max_body_bytes), PIPELINE_INPUT)
    row = await run_in_threadpool(
        writes.create_pipeline, services, principal, objectType, body.values()
    )
    return created(request, pipeline_json(row), row.id)


@router.get("/{pipelineId}")
def get_by_id(
    objectType: str,
    pipelineId: str,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    return json_response(
        pipeline_json(reads.get_pipeline(services, principal, objectType, pipelineId))
    )


@router.put("/{pipelineId}")
async def replace(
    objectType: str,
    pipelineId: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    validateReferencesBeforeDelete: bool = False,
    validateDealStageUsagesBeforeDelete: bool = False,
) -> Response:
    body = parse_body(
        await read_body(request, services.settings.max_body_bytes), PIPELINE_REPLACE_INPUT
    )
    row = await run_in_threadpool(
        lambda: writes.replace_pipeline(
            services,
            principal,
            objectType,
            pipelineId,
            body.values(),
            validate_references=validateReferencesBeforeDelete
            or validateDealStageUsagesBeforeDelete,
        )
    )
    return json_response(pipeline_json(row))


@router.patch("/{pipelineId}")
async def update(
    objectType: str,
    pipelineId: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    body = parse_body(
        await read_body(request, services.settings.max_body_bytes), PIPELINE_PATCH_INPUT
    )
    row = await run_in_threadpool(
        writes.update_pipeline, services, principal, objectType, pipelineId, body.values()
    )
    return json_response(pipeline_json(row))


@router.delete("/{pipelineId}")
def archive(
    objectType: str,
    pipelineId: str,
    services: ServicesDep,
    principal: PrincipalDep,
    validateReferencesBeforeDelete: bool = False,
    validateDealStageUsagesBeforeDelete: bool = False,
) -> Response:
    writes.archive_pipeline(
        services,
        principal,
        objectType,
        pipelineId,
        validate_references=validateReferencesBeforeDelete or validateDealStageUsagesBeforeDelete,
    )
    return no_content()


@router.get("/{pipelineId}/audit")
def get_audit(
    objectType: str,
    pipelineId: str,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """``CollectionResponsePublicAuditInfoNoPaging``, newest first."""
    audits = reads.get_audit(services, principal, objectType, pipelineId)
    return json_response({"results": [public_audit_info(a, principal.portal_id) for a in audits]})
