"""Request models and renderers, named as HubSpot's Pipelines v3 spec names its schemas."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, TypeAdapter

from hubgraph.api.http.body import HubSpotModel
from hubgraph.domain.pipelines import metadata_text
from hubgraph.services.clock import iso
from hubgraph.services.pipelines.reads import Audit
from hubgraph.services.pipelines.writes import (
    PipelineInput as PipelineInputValues,
)
from hubgraph.services.pipelines.writes import (
    PipelinePatch,
    StageInput,
    StagePatch,
)

# displayOrder is an int32 in the spec (and an INTEGER column here).
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
# The spec types metadata values as strings; its docs send ``{"probability": 0.5}``.
MetadataValue = Annotated[str, BeforeValidator(metadata_text)]


class PipelineStageInput(HubSpotModel):
    label: str
    displayOrder: Int32
    metadata: dict[str, MetadataValue] = Field(default_factory=dict)
    stageId: str | None = None

    def values(self) -> StageInput:
        return StageInput(self.label, self.displayOrder, dict(self.metadata), self.stageId)


class PipelineStageReplaceInput(HubSpotModel):
    label: str
    displayOrder: Int32
    metadata: dict[str, MetadataValue] = Field(default_factory=dict)

    def values(self) -> StageInput:
        return StageInput(self.label, self.displayOrder, dict(self.metadata))


class PipelineStagePatchInput(HubSpotModel):
    label: str | None = None
    displayOrder: Int32 | None = None
    metadata: dict[str, MetadataValue] | None = None
    archived: bool | None = None

    def values(self) -> StagePatch:
        metadata = dict(self.metadata) if self.metadata is not None else None
        return StagePatch(self.label, self.displayOrder, metadata, self.archived)


class PipelineInput(HubSpotModel):
    label: str
    displayOrder: Int32
    stages: list[PipelineStageInput]
    pipelineId: str | None = None

    def values(self) -> PipelineInputValues:
        return PipelineInputValues(
            self.label, self.displayOrder, [s.values() for s in self.stages], self.pipelineId
        )


class PipelineReplaceInput(HubSpotModel):
    label: str
    displayOrder: Int32
    stages: list[PipelineStageInput]

    def values(self) -> PipelineInputValues:
        return PipelineInputValues(self.label, self.displayOrder, [s.values() for s in self.stages])


class PipelinePatchInput(HubSpotModel):
    label: str | None = None
    displayOrder: Int32 | None = None
    archived: bool | None = None

    def values(self) -> PipelinePatch:
        return PipelinePatch(self.label, self.displayOrder, self.archived)


PIPELINE_INPUT = TypeAdapter(PipelineInput)
PIPELINE_REPLACE_INPUT = TypeAdapter(PipelineReplaceInput)
PIPELINE_PATCH_INPUT = TypeAdapter(PipelinePatchInput)
STAGE_INPUT = TypeAdapter(PipelineStageInput)
STAGE_REPLACE_INPUT = TypeAdapter(PipelineStageReplaceInput)
STAGE_PATCH_INPUT = TypeAdapter(PipelineStagePatchInput)


def public_audit_info(audit: Audit, portal_id: int) -> dict[str, Any]:
    """``PublicAuditInfo``: the change, and the pipeline or stage as it was after it."""
    what = "stage" if audit.stage_id is not None else "pipeline"
    return {
        "identifier": audit.stage_id or audit.pipeline_id,
        "action": audit.action,
        "timestamp": iso(audit.at),
        "message": f"{audit.action} {what} {audit.stage_id or audit.pipeline_id}",
        "rawObject": audit.raw_object,
        "portalId": portal_id,
    }
