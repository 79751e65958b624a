"""Reading pipelines, stages and their audit trail (Pipelines v3 and the legacy paths)."""

from __future__ import annotations

from dataclasses import dataclass

from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.pipelines import default_pipelines
from hubgraph.domain.scopes import pipeline_read_scopes
from hubgraph.services.access.portals import Principal
from hubgraph.services.context import Services
from hubgraph.services.pipelines.catalog import (
    find_pipeline,
    find_stage,
    live_pipelines,
    live_stages,
    load,
    pipeline_type,
)
from hubgraph.store import pipelines as pipeline_store
from hubgraph.store.pipelines import AuditRow, PipelineRow, StageRow

# What the API renders (``PublicAuditInfo``): the stored row itself.
Audit = AuditRow


@dataclass(frozen=True, slots=True)
class TypePipelines:
    object_type: ObjectType
    pipelines: list[PipelineRow]
    """Live ones in display order, unless archived ones were asked for too."""

    @property
    def default_ids(self) -> set[str]:
        """The pipelines HubSpot made (``default`` in the legacy v1 form)."""
        return {p.id for p in default_pipelines(self.object_type.id)}


def _readable(services: Services, principal: Principal, object_type_name: str) -> ObjectType:
    object_type = pipeline_type(services, object_type_name)
    principal.require_any(pipeline_read_scopes(object_type))
    return object_type


def get_all(
    services: Services, principal: Principal, object_type_name: str, *, archived: bool = False
) -> TypePipelines:
    """The live pipelines of the type, in display order; ``archived`` adds the others."""
    object_type = _readable(services, principal, object_type_name)
    with services.database.read() as conn:
        rows = load(conn, principal.portal_id, object_type.id)
    if archived:
        ordered = sorted(rows, key=lambda p: (p.archived_at is not None, p.display_order, p.label))
        return TypePipelines(object_type, ordered)
    return TypePipelines(object_type, live_pipelines(rows))


def get_pipeline(
    services: Services, principal: Principal, object_type_name: str, pipeline_id: str
) -> PipelineRow:
    object_type = _readable(services, principal, object_type_name)
    with services.database.read() as conn:
        rows = load(conn, principal.portal_id, object_type.id)
    return find_pipeline(rows, pipeline_id)


def get_stages(
    services: Services, principal: Principal, object_type_name: str, pipeline_id: str
) -> list[StageRow]:
    return live_stages(get_pipeline(services, principal, object_type_name, pipeline_id))


def get_stage(
    services: Services,
    principal: Principal,
    object_type_name: str,
    pipeline_id: str,
    stage_id: str,
) -> StageRow:
    return find_stage(get_pipeline(services, principal, object_type_name, pipeline_id), stage_id)


def get_audit(
    services: Services,
    principal: Principal,
    object_type_name: str,
    pipeline_id: str,
    stage_id: str | None = None,
) -> list[AuditRow]:
    """Newest first; a pipeline or stage nobody changed has an empty trail."""
    object_type = _readable(services, principal, object_type_name)
    with services.database.read() as conn:
        pipeline = find_pipeline(load(conn, principal.portal_id, object_type.id), pipeline_id)
        if stage_id is not None:
            find_stage(pipeline, stage_id)
        return pipeline_store.read_audits(
            conn, principal.portal_id, object_type.id, pipeline_id, stage_id
        )
