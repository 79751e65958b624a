"""``/crm/pipelines/2026-03/{objectType}…``: Pipelines v3's handlers.

The 2026-03 spec has the same operations, parameters and schemas as v3 under a new
prefix, so v3's handler functions are registered here again.
"""

from __future__ import annotations

from fastapi import APIRouter

from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.pipelines_v3 import pipelines as v3
from hubgraph.api.pipelines_v3 import stages as v3_stages

router = APIRouter(route_class=DeferredAPIRoute, prefix="/crm/pipelines/2026-03/{objectType}")

STAGES = "/{pipelineId}/stages"
STAGE = "/{pipelineId}/stages/{stageId}"

router.add_api_route(STAGES, v3_stages.get_all, methods=["GET"])
router.add_api_route(STAGES, v3_stages.create, methods=["POST"])
router.add_api_route(STAGE, v3_stages.get_by_id, methods=["GET"])
router.add_api_route(STAGE, v3_stages.replace, methods=["PUT"])
router.add_api_route(STAGE, v3_stages.update, methods=["PATCH"])
router.add_api_route(STAGE, v3_stages.archive, methods=["DELETE"])
router.add_api_route(STAGE + "/audit", v3_stages.get_audit, methods=["GET"])
router.add_api_route("", v3.get_all, methods=["GET"])
router.add_api_route("", v3.create, methods=["POST"])
router.add_api_route("/{pipelineId}", v3.get_by_id, methods=["GET"])
router.add_api_route("/{pipelineId}", v3.replace, methods=["PUT"])
router.add_api_route("/{pipelineId}", v3.update, methods=["PATCH"])
router.add_api_route("/{pipelineId}", v3.archive, methods=["DELETE"])
router.add_api_route("/{pipelineId}/audit", v3.get_audit, methods=["GET"])
