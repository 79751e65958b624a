"""Pipelines and stages as Pipelines v3 (``Pipeline``, ``PipelineStage``) and the legacy
CRM Pipelines v1 API render them. The audit trail keeps the v3 form as ``rawObject``."""

from __future__ import annotations

from typing import Any

from hubgraph.domain.object_types import ObjectType
from hubgraph.services.clock import iso
from hubgraph.services.pipelines.catalog import live_stages
from hubgraph.store.pipelines import PipelineRow, StageRow

# Every stage HubSpot returns carries this; hubgraph has no other permission levels.
WRITE_PERMISSIONS = "CRM_PERMISSIONS_ENFORCEMENT"


def _times(row: PipelineRow | StageRow) -> dict[str, Any]:
    body: dict[str, Any] = {
        "createdAt": iso(row.created_at),
        "updatedAt": iso(row.updated_at),
        "archived": row.archived_at is not None,
    }
    if row.archived_at is not None:
        body["archivedAt"] = iso(row.archived_at)
    return body


def stage_json(stage: StageRow) -> dict[str, Any]:
    return {
        "label": stage.label,
        "displayOrder": stage.display_order,
        "metadata": stage.metadata,
        "id": stage.id,
        **_times(stage),
        "writePermissions": WRITE_PERMISSIONS,
    }


def pipeline_json(pipeline: PipelineRow) -> dict[str, Any]:
    return {
        "label": pipeline.label,
        "displayOrder": pipeline.display_order,
        "id": pipeline.id,
        "stages": [stage_json(s) for s in live_stages(pipeline)],
        **_times(pipeline),
    }


# --- CRM Pipelines v1 (``/crm-pipelines/v1/pipelines/{objectType}``) ---------------------
# Epoch milliseconds, ``pipelineId``/``stageId``, ``active`` for not archived, the object
# type as ``DEAL``/``TICKET`` and the pipeline that HubSpot made as ``default``
# (legacy docs' example; a public capture of a real response).


def _legacy_stage(stage: StageRow) -> dict[str, Any]:
    return {
        "label": stage.label,
        "displayOrder": stage.display_order,
        "metadata": stage.metadata,
        "stageId": stage.id,
        "createdAt": stage.created_at,
        "updatedAt": stage.updated_at,
        "active": stage.archived_at is None,
    }


def legacy_pipeline_json(
    object_type: ObjectType, pipeline: PipelineRow, default_ids: set[str]
) -> dict[str, Any]:
    stages = [
        s for s in pipeline.stages if pipeline.archived_at is not None or s.archived_at is None
    ]
    stages.sort(key=lambda s: (s.display_order, s.label))
    return {
        "label": pipeline.label,
        "displayOrder": pipeline.display_order,
        "active": pipeline.archived_at is None,
        "stages": [_legacy_stage(s) for s in stages],
        "objectType": object_type.singular.upper(),
        "objectTypeId": object_type.id,
        "pipelineId": pipeline.id,
        "createdAt": pipeline.created_at,
        "updatedAt": pipeline.updated_at,
        "default": pipeline.id in default_ids,
    }


def deals_v1_pipeline_json(pipeline: PipelineRow, default_ids: set[str]) -> dict[str, Any]:
    """The older Deal Pipelines v1 form (``GET /deals/v1/pipelines``), as Singer's
    tap-hubspot schema ``deal_pipelines.json`` reads it: probability and closedWon are
    top-level on each stage."""
    stages = []
    for stage in live_stages(pipeline):
        probability = stage.metadata.get("probability")
        stages.append(
            {
                "stageId": stage.id,
                "label": stage.label,
                "probability": float(probability) if probability is not None else None,
                "active": True,
                "displayOrder": stage.display_order,
                "closedWon": probability is not None and float(probability) == 1.0,
            }
        )
    return {
        "pipelineId": pipeline.id,
        "stages": stages,
        "label": pipeline.label,
        "active": pipeline.archived_at is None,
        "displayOrder": pipeline.display_order,
        "staticDefault": pipeline.id in default_ids,
    }
