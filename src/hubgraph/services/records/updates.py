"""Changing records: PATCH, batch update (properties merge) and batch archive."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from hubgraph.domain.scopes import write_scopes
from hubgraph.errors import ObjectNotFound, ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.pipelines.record_values import check_record_values
from hubgraph.services.records.reads import (
    CrmObject,
    Properties,
    check_id_property,
    objects_not_found_error,
    parse_ids,
)
from hubgraph.services.results import BatchOutcome
from hubgraph.store import objects as object_store
from hubgraph.store.objects import ObjectRow


@dataclass(frozen=True, slots=True)
class ObjectUpdate:
    """``SimplePublicObjectBatchInput``: an id as sent and the properties to set."""

    id: str
    properties: Properties
    id_property: str | None = None


def duplicate_ids_error(duplicates: list[str]) -> ValidationError:
    """HubSpot refuses a batch that names a record twice; the wording is UNCONFIRMED."""
    listed = ", ".join(duplicates)
    return ValidationError(
        f"Duplicate IDs found in batch input: [{listed}]. IDs must be unique",
        context={"ids": duplicates},
    )


def batch_update(
    services: Services, principal: Principal, object_type_name: str, inputs: list[ObjectUpdate]
) -> BatchOutcome[CrmObject]:
    """Merge each input's properties into its record: one locking read, one bulk update.

    Ids that name no live record are reported together in one error item (207).
    """
    object_type = services.object_types.resolve(object_type_name)
    principal.require_any(write_scopes(object_type))
    for item in inputs:
        check_id_property(item.id_property)
    raw_ids = [i.id for i in inputs]
    duplicates = [raw for raw, n in Counter(raw_ids).items() if n > 1]
    if duplicates:
        raise duplicate_ids_error(duplicates)
    parsed = parse_ids(raw_ids)
    wanted = {i for i in parsed.values() if i is not None}
    now = now_ms()
    outcome: BatchOutcome[CrmObject] = BatchOutcome()
    with services.database.write() as conn:
        found = {
            r.id: r
            for r in object_store.get_objects(
                conn, principal.portal_id, object_type.id, wanted, archived=False, for_update=True
            )
        }
        changed: list[ObjectRow] = []
        missing: list[str] = []
        checked: list[tuple[Properties, Properties]] = []
        for item in inputs:
            row = found.get(parsed[item.id] or 0)
            if row is None:
                missing.append(item.id)
                continue
            merged = {**row.properties, **item.properties}
            changed.append(ObjectRow(row.id, merged, row.created_at, now, None))
            checked.append((item.properties, row.properties))
        check_record_values(conn, principal.portal_id, object_type, checked)
        object_store.set_properties(
            conn, principal.portal_id, object_type.id, [(r.id, r.properties) for r in changed], now
        )
    outcome.results = [CrmObject(object_type, r) for r in changed]
    if missing:
        outcome.errors.append(objects_not_found_error(object_type, missing))
    return outcome


def update_object(
    services: Services,
    principal: Principal,
    object_type_name: str,
    raw_id: str,
    properties: Properties,
    id_property: str | None = None,
) -> CrmObject:
    """PATCH: 404 when the record is missing or archived."""
    outcome = batch_update(
        services, principal, object_type_name, [ObjectUpdate(raw_id, properties, id_property)]
    )
    if not outcome.results:
        raise ObjectNotFound()
    return outcome.results[0]


def batch_archive(
    services: Services, principal: Principal, object_type_name: str, raw_ids: list[str]
) -> None:
    """Archive every live record named; other ids are ignored, as a single DELETE does."""
    object_type = services.object_types.resolve(object_type_name)
    principal.require_any(write_scopes(object_type))
    ids = {i for i in parse_ids(raw_ids).values() if i is not None}
    if not ids:
        return
    with services.database.write() as conn:
        object_store.archive_objects(conn, principal.portal_id, object_type.id, ids, now_ms())
