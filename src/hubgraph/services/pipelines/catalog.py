"""A portal's pipelines of one object type, as stored or, until the first change, the
default ones (``domain/data/default_pipelines.json``).

The defaults are not written when a portal is made: a portal without rows for a type
reads the defaults, and the first pipeline write stores them (``materialize``), under a
lock on the portal so two first writers cannot both store them. A reset portal
therefore starts again from the defaults, as a new HubSpot account does.
"""

from __future__ import annotations

from sqlalchemy import Connection

from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.pipeline_values import PipelineOptions
from hubgraph.domain.pipelines import default_pipelines, has_pipelines
from hubgraph.errors import ObjectNotFound, ValidationError
from hubgraph.services.context import Services
from hubgraph.store import pipelines as pipeline_store
from hubgraph.store.pipelines import PipelineRow, StageRow

# Default pipelines and their stages have createdAt = 0 (spec, Pipeline.createdAt).
DEFAULT_CREATED_AT = 0


def pipeline_type(services: Services, name: str) -> ObjectType:
    """The object type in a pipelines path; 400 for a type HubSpot gives no pipelines.

    The status and message for such a type are UNCONFIRMED.
    """
    object_type = services.object_types.resolve(name)
    if not has_pipelines(object_type.id):
        raise ValidationError(f"Object type {object_type.plural} does not have pipelines")
    return object_type


def _default_rows(object_type_id: str) -> list[PipelineRow]:
    return [
        PipelineRow(
            id=p.id,
            label=p.label,
            display_order=p.display_order,
            created_at=DEFAULT_CREATED_AT,
            updated_at=DEFAULT_CREATED_AT,
            stages=[
                StageRow(
                    s.id,
                    p.id,
                    s.label,
                    s.display_order,
                    dict(s.metadata),
                    DEFAULT_CREATED_AT,
                    DEFAULT_CREATED_AT,
                )
                for s in p.stages
            ],
        )
        for p in default_pipelines(object_type_id)
    ]


def load(conn: Connection, portal_id: int, object_type_id: str) -> list[PipelineRow]:
    """Every pipeline of the type, archived ones included, each with all its stages."""
    return pipeline_store.read_pipelines(conn, portal_id, object_type_id) or _default_rows(
        object_type_id
    )


def materialize(conn: Connection, portal_id: int, object_type_id: str) -> list[PipelineRow]:
    """Lock the portal's pipelines and return them, storing the defaults on first change."""
    pipeline_store.lock_portal(conn, portal_id)
    stored = pipeline_store.read_pipelines(conn, portal_id, object_type_id)
    if stored:
        return stored
    defaults = _default_rows(object_type_id)
    for row in defaults:
        pipeline_store.insert_pipeline(conn, portal_id, object_type_id, row)
    return defaults


def _order(label: str, display_order: int) -> tuple[int, str]:
    # "If two pipelines have a matching displayOrder, they will be sorted alphabetically
    # by label" (spec); the same holds for stages.
    return (display_order, label)


def live_pipelines(rows: list[PipelineRow]) -> list[PipelineRow]:
    live = [p for p in rows if p.archived_at is None]
    return sorted(live, key=lambda p: _order(p.label, p.display_order))


def live_stages(pipeline: PipelineRow) -> list[StageRow]:
    live = [s for s in pipeline.stages if s.archived_at is None]
    return sorted(live, key=lambda s: _order(s.label, s.display_order))


def find_pipeline(
    rows: list[PipelineRow], pipeline_id: str, *, archived: bool = False
) -> PipelineRow:
    """The pipeline named in a path: live (or, ``archived``, either); 404 otherwise."""
    for row in rows:
        if row.id == pipeline_id and (archived or row.archived_at is None):
            return row
    raise ObjectNotFound(f"Unable to find pipeline {pipeline_id}")


def find_stage(pipeline: PipelineRow, stage_id: str) -> StageRow:
    for stage in pipeline.stages:
        if stage.id == stage_id and stage.archived_at is None:
            return stage
    raise ObjectNotFound(f"Unable to find stage {stage_id} in pipeline {pipeline.id}")


def options(rows: list[PipelineRow]) -> PipelineOptions:
    """The pipelines and stages a record may take: live ones only (archived pipelines and
    stages "cannot be used when creating or updating objects", v1 docs)."""
    return PipelineOptions(
        {p.id: tuple(s.id for s in live_stages(p)) for p in live_pipelines(rows)}
    )
