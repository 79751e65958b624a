"""The one check the record write path makes of pipeline, stage and owner values.

``check_record_values`` runs inside the write's transaction, before the records are
written, for every create and update (single and batch): the pipeline and stage a write
leaves a deal, ticket or other pipeline record with must be a live pipeline of the type
and a live stage of that pipeline, and ``hubspot_owner_id`` must name a live owner of the
portal. Every invalid value of the request is listed in one 400 (``Property values were
not valid``), and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Connection

from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.pipeline_values import (
    OWNER_PROPERTY,
    PropertyError,
    check_owner,
    check_pipeline,
    parse_owner_id,
    property_values_error,
)
from hubgraph.domain.pipelines import has_pipelines, record_properties
from hubgraph.services.pipelines.catalog import load, options
from hubgraph.store import owners as owner_store

Values = Mapping[str, str | None]


def check_record_values(
    conn: Connection,
    portal_id: int,
    object_type: ObjectType,
    changes: Sequence[tuple[Values, Values | None]],
) -> None:
    """``changes``: each input's properties as sent, and the record's before (None: new)."""
    errors = _pipeline_errors(conn, portal_id, object_type, changes)
    errors += _owner_errors(conn, portal_id, [sent.get(OWNER_PROPERTY) for sent, _ in changes])
    if errors:
        raise property_values_error(portal_id, errors)


def _pipeline_errors(
    conn: Connection,
    portal_id: int,
    object_type: ObjectType,
    changes: Sequence[tuple[Values, Values | None]],
) -> list[PropertyError]:
    if not has_pipelines(object_type.id):
        return []
    names = record_properties(object_type.id)
    if not any(sent.get(names.pipeline) or sent.get(names.stage) for sent, _ in changes):
        return []
    allowed = options(load(conn, portal_id, object_type.id))
    errors: list[PropertyError] = []
    for sent, current in changes:
        errors += check_pipeline(object_type.id, allowed, sent, current)
    return errors


def _owner_errors(
    conn: Connection, portal_id: int, values: list[str | None]
) -> list[PropertyError]:
    sent = [v for v in values if v]
    if not sent:
        return []
    wanted = {i for i in (parse_owner_id(v) for v in sent) if i is not None}
    live = owner_store.live_owner_ids(conn, portal_id, wanted)
    if len(live) < len(wanted):
        # An unknown owner: its error lists every owner of the portal.
        live = set(owner_store.all_owner_ids(conn, portal_id))
    errors: list[PropertyError] = []
    for value in sent:
        errors += check_owner(value, live)
    return errors
