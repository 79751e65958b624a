"""Pipelines, their stages and their audit trail, for one portal and object type."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, insert, select, update

from hubgraph.store.tables import objects, pipeline_audits, pipeline_stages, pipelines, portals


@dataclass(slots=True)
class StageRow:
    id: str
    pipeline_id: str
    label: str
    display_order: int
    metadata: dict[str, str]
    created_at: int
    updated_at: int
    archived_at: int | None = None


@dataclass(slots=True)
class PipelineRow:
    id: str
    label: str
    display_order: int
    created_at: int
    updated_at: int
    archived_at: int | None = None
    stages: list[StageRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    pipeline_id: str
    stage_id: str | None
    action: str
    at: int
    raw_object: dict[str, Any]


def lock_portal(conn: Connection, portal_id: int) -> None:
    """Serialise one portal's pipeline changes (PostgreSQL; SQLite writers already are)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(portals.c.id).where(portals.c.id == portal_id).with_for_update())


def read_pipelines(conn: Connection, portal_id: int, object_type_id: str) -> list[PipelineRow]:
    """Every pipeline of the type, archived ones included, each with all its stages."""
    found = {
        r.id: PipelineRow(r.id, r.label, r.display_order, r.created_at, r.updated_at, r.archived_at)
        for r in conn.execute(
            select(pipelines).where(
                pipelines.c.portal_id == portal_id,
                pipelines.c.object_type_id == object_type_id,
            )
        )
    }
    if not found:
        return []
    stage_query = select(pipeline_stages).where(
        pipeline_stages.c.portal_id == portal_id,
        pipeline_stages.c.object_type_id == object_type_id,
    )
    for s in conn.execute(stage_query):
        owner = found.get(s.pipeline_id)
        if owner is not None:
            owner.stages.append(
                StageRow(
                    s.id,
                    s.pipeline_id,
                    s.label,
                    s.display_order,
                    dict(s.metadata),
                    s.created_at,
                    s.updated_at,
                    s.archived_at,
                )
            )
    return list(found.values())


def insert_pipeline(
    conn: Connection, portal_id: int, object_type_id: str, pipeline: PipelineRow
) -> None:
    conn.execute(
        insert(pipelines).values(
            portal_id=portal_id,
            object_type_id=object_type_id,
            id=pipeline.id,
            label=pipeline.label,
            display_order=pipeline.display_order,
            created_at=pipeline.created_at,
            updated_at=pipeline.updated_at,
            archived_at=pipeline.archived_at,
        )
    )
    insert_stages(conn, portal_id, object_type_id, pipeline.stages)


def insert_stages(
    conn: Connection, portal_id: int, object_type_id: str, stages: list[StageRow]
) -> None:
    if not stages:
        return
    conn.execute(
        insert(pipeline_stages),
        [
            {
                "portal_id": portal_id,
                "object_type_id": object_type_id,
                "id": s.id,
                "pipeline_id": s.pipeline_id,
                "label": s.label,
                "display_order": s.display_order,
                "metadata": s.metadata,
                "created_at": s.created_at,
                "updated_at": s.updated_at,
                "archived_at": s.archived_at,
            }
            for s in stages
        ],
    )


def save_pipeline(conn: Connection, portal_id: int, object_type_id: str, row: PipelineRow) -> None:
    """Write the pipeline's own columns (not its stages) as they are in ``row``."""
    conn.execute(
        update(pipelines)
        .where(
            pipelines.c.portal_id == portal_id,
            pipelines.c.object_type_id == object_type_id,
            pipelines.c.id == row.id,
        )
        .values(
            label=row.label,
            display_order=row.display_order,
            updated_at=row.updated_at,
            archived_at=row.archived_at,
        )
    )


def save_stage(conn: Connection, portal_id: int, object_type_id: str, row: StageRow) -> None:
    conn.execute(
        update(pipeline_stages)
        .where(
            pipeline_stages.c.portal_id == portal_id,
            pipeline_stages.c.object_type_id == object_type_id,
            pipeline_stages.c.id == row.id,
        )
        .values(
            label=row.label,
            display_order=row.display_order,
            metadata=row.metadata,
            updated_at=row.updated_at,
            archived_at=row.archived_at,
        )
    )


def stage_id_taken(conn: Connection, portal_id: int, object_type_id: str, stage_id: str) -> bool:
    query = select(pipeline_stages.c.id).where(
        pipeline_stages.c.portal_id == portal_id,
        pipeline_stages.c.object_type_id == object_type_id,
        pipeline_stages.c.id == stage_id,
    )
    return conn.execute(query).first() is not None


def records_using(
    conn: Connection,
    portal_id: int,
    object_type_id: str,
    property_name: str,
    values: Collection[str],
    limit: int = 10,
) -> list[int]:
    """Ids of live records whose ``property_name`` is one of ``values`` (a few, for a message)."""
    if not values:
        return []
    value = objects.c.properties[property_name].as_string()
    query = (
        select(objects.c.id)
        .where(
            objects.c.portal_id == portal_id,
            objects.c.object_type_id == object_type_id,
            objects.c.archived_at.is_(None),
            value.in_(list(values)),
        )
        .order_by(objects.c.id)
        .limit(limit)
    )
    return [int(r.id) for r in conn.execute(query)]


def insert_audit(conn: Connection, portal_id: int, object_type_id: str, audit: AuditRow) -> None:
    conn.execute(
        insert(pipeline_audits).values(
            portal_id=portal_id,
            id=audit.id,
            object_type_id=object_type_id,
            pipeline_id=audit.pipeline_id,
            stage_id=audit.stage_id,
            action=audit.action,
            at=audit.at,
            raw_object=audit.raw_object,
        )
    )


def read_audits(
    conn: Connection,
    portal_id: int,
    object_type_id: str,
    pipeline_id: str,
    stage_id: str | None = None,
) -> list[AuditRow]:
    """Newest first (the audit endpoints are reverse chronological)."""
    query = select(pipeline_audits).where(
        pipeline_audits.c.portal_id == portal_id,
        pipeline_audits.c.object_type_id == object_type_id,
        pipeline_audits.c.pipeline_id == pipeline_id,
    )
    if stage_id is not None:
        query = query.where(pipeline_audits.c.stage_id == stage_id)
    query = query.order_by(pipeline_audits.c.id.desc())
    return [
        AuditRow(r.id, r.pipeline_id, r.stage_id, r.action, r.at, dict(r.raw_object))
        for r in conn.execute(query)
    ]
