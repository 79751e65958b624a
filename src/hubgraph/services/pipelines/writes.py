"""Changing pipelines and stages: create, replace (PUT), update (PATCH), delete.

Each change is one write transaction: the portal's pipelines are locked (and the
defaults stored, the first time), the change is checked against the others, written,
and recorded in the audit trail. Deleting archives: the pipeline or stage leaves every
read, and PATCH ``{"archived": false}`` brings a pipeline back.

A pipeline or stage that records use is deleted unless the request asks for the check
(``validateReferencesBeforeDelete``, or ``validateDealStageUsagesBeforeDelete`` for deals;
both default to false in v3 and true from the 2026-09 version on, HubSpot's changelog
"pipeline-stage-validation-true"); then the delete is refused with a validation error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.pipelines import metadata_text, record_properties, stage_metadata
from hubgraph.domain.scopes import pipeline_write_scopes
from hubgraph.errors import ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.pipelines.catalog import (
    find_pipeline,
    find_stage,
    live_pipelines,
    materialize,
    pipeline_type,
)
from hubgraph.services.pipelines.render import pipeline_json, stage_json
from hubgraph.store import pipelines as pipeline_store
from hubgraph.store import portals as portal_store
from hubgraph.store.pipelines import AuditRow, PipelineRow, StageRow

IN_USE_SHOWN = 10
MAX_ID_LENGTH = 64


@dataclass(frozen=True, slots=True)
class StageInput:
    """``PipelineStageInput`` / ``PipelineStageReplaceInput``."""

    label: str
    display_order: int
    metadata: dict[str, str] = field(default_factory=dict)
    stage_id: str | None = None


@dataclass(frozen=True, slots=True)
class PipelineInput:
    """``PipelineInput`` / ``PipelineReplaceInput``."""

    label: str
    display_order: int
    stages: list[StageInput]
    pipeline_id: str | None = None


@dataclass(frozen=True, slots=True)
class PipelinePatch:
    label: str | None = None
    display_order: int | None = None
    archived: bool | None = None


@dataclass(frozen=True, slots=True)
class StagePatch:
    label: str | None = None
    display_order: int | None = None
    metadata: dict[str, str] | None = None
    archived: bool | None = None


@dataclass(slots=True)
class _Change:
    """One write's context: the type, its (locked) pipelines, the time."""

    conn: Connection
    portal_id: int
    object_type: ObjectType
    rows: list[PipelineRow]
    now: int

    def audit(self, pipeline: PipelineRow, action: str, stage: StageRow | None = None) -> None:
        (audit_id,) = portal_store.allocate_object_ids(self.conn, self.portal_id, 1)
        raw = stage_json(stage) if stage is not None else pipeline_json(pipeline)
        pipeline_store.insert_audit(
            self.conn,
            self.portal_id,
            self.object_type.id,
            AuditRow(audit_id, pipeline.id, stage.id if stage else None, action, self.now, raw),
        )

    def new_id(self) -> str:
        (allocated,) = portal_store.allocate_object_ids(self.conn, self.portal_id, 1)
        return str(allocated)


def _change(services: Services, principal: Principal, conn: Connection, name: str) -> _Change:
    object_type = pipeline_type(services, name)
    principal.require_any(pipeline_write_scopes(object_type))
    return _change_in(conn, principal.portal_id, object_type)


def _change_in(conn: Connection, portal_id: int, object_type: ObjectType) -> _Change:
    rows = materialize(conn, portal_id, object_type.id)
    return _Change(conn, portal_id, object_type, rows, now_ms())


def _label(label: str, what: str) -> str:
    if not label.strip():
        raise ValidationError(f"A {what} label must not be empty")
    return label


def _unique_pipeline_label(change: _Change, label: str, own_id: str | None) -> None:
    for p in live_pipelines(change.rows):
        if p.id != own_id and p.label == label:
            raise ValidationError(f"A pipeline with label {label} already exists")


def _unique_stage_labels(labels: list[str]) -> None:
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise ValidationError(f"Stage labels must be unique within a pipeline: {label}")
        seen.add(label)


def _metadata(object_type: ObjectType, sent: dict[str, str]) -> dict[str, str]:
    return stage_metadata(object_type.id, {k: metadata_text(v) for k, v in sent.items()})


def _chosen_id(wanted: str, what: str) -> str:
    """An id the client chose (``pipelineId``, ``stageId``); ids are stored in 64 characters."""
    if not wanted.strip() or len(wanted) > MAX_ID_LENGTH:
        raise ValidationError(f"A {what} id must be 1 to {MAX_ID_LENGTH} characters: {wanted}")
    return wanted


def _reserve(change: _Change, chosen: str) -> None:
    """A numeric id chosen by the client is one the portal's counter must not hand out."""
    if chosen.isascii() and chosen.isdigit() and int(chosen) < 2**62:
        portal_store.reserve_id(change.conn, change.portal_id, int(chosen))


def _stage_id(change: _Change, wanted: str | None, adding: Sequence[StageRow] = ()) -> str:
    """A new stage's id: the one asked for, when no stage of the type (nor one being added
    in the same request) has it, or a new one."""
    if wanted is None:
        return change.new_id()
    _chosen_id(wanted, "stage")
    taken = {s.id for p in change.rows for s in p.stages} | {s.id for s in adding}
    if wanted in taken:
        raise ValidationError(f"A stage with id {wanted} already exists")
    _reserve(change, wanted)
    return wanted


def _refuse_in_use(
    change: _Change, pipeline: PipelineRow, stages: list[StageRow], whole: bool
) -> None:
    """The validation error of a delete that records would be left pointing at."""
    names = record_properties(change.object_type.id)
    ids = pipeline_store.records_using(
        change.conn,
        change.portal_id,
        change.object_type.id,
        names.stage,
        [s.id for s in stages],
        IN_USE_SHOWN,
    )
    if whole and not ids:
        ids = pipeline_store.records_using(
            change.conn,
            change.portal_id,
            change.object_type.id,
            names.pipeline,
            [pipeline.id],
            IN_USE_SHOWN,
        )
    if not ids:
        return
    what = f"pipeline {pipeline.id}" if whole else f"stage {stages[0].id}"
    listed = ", ".join(str(i) for i in ids)
    raise ValidationError(
        f"Unable to delete {what}: it is used by {change.object_type.plural} [{listed}]. "
        "Move them to another stage first, or delete without validating references",
        context={"objectIds": [str(i) for i in ids]},
    )


# --- pipelines ------------------------------------------------------------------------


def create_pipeline(
    services: Services, principal: Principal, object_type_name: str, given: PipelineInput
) -> PipelineRow:
    """A new pipeline with its stages; 201 in the API."""
    with services.database.write() as conn:
        return _create(_change(services, principal, conn, object_type_name), given)


def create_pipeline_in(
    conn: Connection, portal_id: int, object_type: ObjectType, given: PipelineInput
) -> PipelineRow:
    """A new pipeline inside the caller's transaction (seed files)."""
    return _create(_change_in(conn, portal_id, object_type), given)


def _create(change: _Change, given: PipelineInput) -> PipelineRow:
    _unique_pipeline_label(change, _label(given.label, "pipeline"), None)
    _unique_stage_labels([_label(s.label, "stage") for s in given.stages])
    if given.pipeline_id is not None and any(p.id == given.pipeline_id for p in change.rows):
        raise ValidationError(f"A pipeline with id {given.pipeline_id} already exists")
    if given.pipeline_id:
        pipeline_id = _chosen_id(given.pipeline_id, "pipeline")
        _reserve(change, pipeline_id)
    else:
        pipeline_id = change.new_id()
    row = PipelineRow(pipeline_id, given.label, given.display_order, change.now, change.now)
    for stage in given.stages:
        row.stages.append(
            StageRow(
                _stage_id(change, stage.stage_id, row.stages),
                pipeline_id,
                stage.label,
                stage.display_order,
                _metadata(change.object_type, stage.metadata),
                change.now,
                change.now,
            )
        )
    pipeline_store.insert_pipeline(change.conn, change.portal_id, change.object_type.id, row)
    change.rows.append(row)
    change.audit(row, "CREATE")
    return row


def replace_pipeline(
    services: Services,
    principal: Principal,
    object_type_name: str,
    pipeline_id: str,
    given: PipelineInput,
    *,
    validate_references: bool = False,
) -> PipelineRow:
    """PUT: the pipeline becomes what was sent. A stage sent with the ``stageId`` of one
    of its stages keeps that stage; stages not sent are deleted."""
    with services.database.write() as conn:
        change = _change(services, principal, conn, object_type_name)
        row = find_pipeline(change.rows, pipeline_id)
        _unique_pipeline_label(change, _label(given.label, "pipeline"), row.id)
        _unique_stage_labels([_label(s.label, "stage") for s in given.stages])
        kept_ids = {s.stage_id for s in given.stages if s.stage_id is not None}
        dropped = [s for s in row.stages if s.archived_at is None and s.id not in kept_ids]
        if validate_references and dropped:
            _refuse_in_use(change, row, dropped, whole=False)
        existing = {s.id: s for s in row.stages}
        for stage in dropped:
            stage.archived_at = change.now
            stage.updated_at = change.now
            pipeline_store.save_stage(conn, change.portal_id, change.object_type.id, stage)
        for sent in given.stages:
            metadata = _metadata(change.object_type, sent.metadata)
            found = existing.get(sent.stage_id) if sent.stage_id is not None else None
            if found is not None:
                found.label, found.display_order, found.metadata = (
                    sent.label,
                    sent.display_order,
                    metadata,
                )
                found.archived_at, found.updated_at = None, change.now
                pipeline_store.save_stage(conn, change.portal_id, change.object_type.id, found)
                continue
            new = StageRow(
                _stage_id(change, sent.stage_id),
                row.id,
                sent.label,
                sent.display_order,
                metadata,
                change.now,
                change.now,
            )
            pipeline_store.insert_stages(conn, change.portal_id, change.object_type.id, [new])
            row.stages.append(new)
        row.label, row.display_order, row.updated_at = given.label, given.display_order, change.now
        pipeline_store.save_pipeline(conn, change.portal_id, change.object_type.id, row)
        change.audit(row, "UPDATE")
    return row


def update_pipeline(
    services: Services,
    principal: Principal,
    object_type_name: str,
    pipeline_id: str,
    patch: PipelinePatch,
) -> PipelineRow:
    """PATCH: label and display order; ``archived: false`` restores a deleted pipeline.

    ``archived`` "should only be provided when restoring an archived pipeline. If it's
    provided in any other call, the request will fail" (spec).
    """
    with services.database.write() as conn:
        change = _change(services, principal, conn, object_type_name)
        restoring = patch.archived is False
        row = find_pipeline(change.rows, pipeline_id, archived=restoring)
        if patch.archived is not None and not (restoring and row.archived_at is not None):
            raise ValidationError(
                "archived may only be sent as false, to restore an archived pipeline"
            )
        if restoring:
            row.archived_at = None
        if patch.label is not None:
            _unique_pipeline_label(change, _label(patch.label, "pipeline"), row.id)
            row.label = patch.label
        if patch.display_order is not None:
            row.display_order = patch.display_order
        row.updated_at = change.now
        pipeline_store.save_pipeline(conn, change.portal_id, change.object_type.id, row)
        change.audit(row, "RESTORE" if restoring else "UPDATE")
    return row


def archive_pipeline(
    services: Services,
    principal: Principal,
    object_type_name: str,
    pipeline_id: str,
    *,
    validate_references: bool = False,
) -> None:
    with services.database.write() as conn:
        change = _change(services, principal, conn, object_type_name)
        row = find_pipeline(change.rows, pipeline_id)
        if validate_references:
            live = [s for s in row.stages if s.archived_at is None]
            _refuse_in_use(change, row, live, whole=True)
        row.archived_at = row.updated_at = change.now
        pipeline_store.save_pipeline(conn, change.portal_id, change.object_type.id, row)
        change.audit(row, "DELETE")


# --- stages ---------------------------------------------------------------------------


def create_stage(
    services: Services,
    principal: Principal,
    object_type_name: str,
    pipeline_id: str,
    given: StageInput,
) -> StageRow:
    with services.database.write() as conn:
        change = _change(services, principal, conn, object_type_name)
        row = find_pipeline(change.rows, pipeline_id)
        live_labels = [s.label for s in row.stages if s.archived_at is None]
        _unique_stage_labels([*live_labels, _label(given.label, "stage")])
        stage = StageRow(
            _stage_id(change, given.stage_id),
            row.id,
            given.label,
            given.display_order,
            _metadata(change.object_type, given.metadata),
            change.now,
            change.now,
        )
        pipeline_store.insert_stages(conn, change.portal_id, change.object_type.id, [stage])
        row.stages.append(stage)
        change.audit(row, "CREATE", stage)
    return stage


def _edit_stage(
    services: Services,
    principal: Principal,
    object_type_name: str,
    pipeline_id: str,
    stage_id: str,
    patch: StagePatch,
    replace: bool,
) -> StageRow:
    with services.database.write() as conn:
        change = _change(services, principal, conn, object_type_name)
        row = find_pipeline(change.rows, pipeline_id)
        stage = find_stage(row, stage_id)
        if patch.label is not None:
            others = [s.label for s in row.stages if s.archived_at is None and s.id != stage.id]
            _unique_stage_labels([*others, _label(patch.label, "stage")])
            stage.label = patch.label
        if patch.display_order is not None:
            stage.display_order = patch.display_order
        if patch.metadata is not None:
            # PATCH merges into the stage's metadata, PUT replaces it; what HubSpot derives
            # (isClosed) is derived again unless sent.
            kept = {} if replace else {k: v for k, v in stage.metadata.items() if k != "isClosed"}
            stage.metadata = _metadata(change.object_type, {**kept, **patch.metadata})
        if patch.archived:
            stage.archived_at = change.now
        stage.updated_at = change.now
        pipeline_store.save_stage(conn, change.portal_id, change.object_type.id, stage)
        change.audit(row, "UPDATE", stage)
    return stage


def replace_stage(
    services: Services,
    principal: Principal,
    object_type_name: str,
    pipeline_id: str,
    stage_id: str,
    given: StageInput,
) -> StageRow:
    patch = StagePatch(given.label, given.display_order, given.metadata)
    return _edit_stage(services, principal, object_type_name, pipeline_id, stage_id, patch, True)


def update_stage(
    services: Services,
    principal: Principal,
    object_type_name: str,
    pipeline_id: str,
    stage_id: str,
    patch: StagePatch,
) -> StageRow:
    return _edit_stage(services, principal, object_type_name, pipeline_id, stage_id, patch, False)


def archive_stage(
    services: Services,
    principal: Principal,
    object_type_name: str,
    pipeline_id: str,
    stage_id: str,
    *,
    validate_references: bool = False,
) -> None:
    with services.database.write() as conn:
        change = _change(services, principal, conn, object_type_name)
        row = find_pipeline(change.rows, pipeline_id)
        stage = find_stage(row, stage_id)
        if validate_references:
            _refuse_in_use(change, row, [stage], whole=False)
        stage.archived_at = stage.updated_at = change.now
        pipeline_store.save_stage(conn, change.portal_id, change.object_type.id, stage)
        change.audit(row, "DELETE", stage)
