"""Changing records: PATCH, batch update (properties merge) and batch archive."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection

from hubgraph.domain.scopes import write_scopes
from hubgraph.errors import ObjectNotFound, ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.pipelines.record_values import check_record_values
from hubgraph.services.properties.catalogue import PortalProperties, load_properties
from hubgraph.services.properties.unique import (
    UniqueWrite,
    claim_unique_values,
    non_unique_id_property,
)
from hubgraph.services.properties.validation import RecordWrite, WriteContext, require_valid
from hubgraph.services.records.reads import (
    CrmObject,
    Properties,
    archive_records,
    merged_into,
    objects_not_found_error,
    parse_ids,
    resolve_ids,
)
from hubgraph.services.results import BatchOutcome
from hubgraph.store import objects as object_store
from hubgraph.store.objects import ObjectRow

CONTACT_EMAIL = "email"


@dataclass(frozen=True, slots=True)
class ObjectUpdate:
    """``SimplePublicObjectBatchInput``: an id as sent and the properties to set."""

    id: str
    properties: Properties
    id_property: str | None = None
    object_write_trace_id: str | None = None


NOTHING_TO_UPDATE = "No properties found to update, please provide at least one."


def duplicate_ids_error(duplicates: list[str]) -> ValidationError:
    """HubSpot refuses a batch that names a record twice; the wording is UNCONFIRMED."""
    listed = ", ".join(duplicates)
    return ValidationError(
        f"Duplicate IDs found in batch input: [{listed}]. IDs must be unique",
        context={"ids": duplicates},
    )


def batch_update(
    services: Services,
    principal: Principal,
    object_type_name: str,
    inputs: list[ObjectUpdate],
    *,
    single: bool = False,
) -> BatchOutcome[CrmObject]:
    """Merge each input's properties into its record: one locking read, one bulk update.

    Ids that name no live record are reported together in one error item (207). Any
    invalid property value fails the whole request (400), as does a unique value another
    record holds (409). ``email`` identifies contacts on a single PATCH but not here
    (nodejs#548: "non-unique 0-1 property email").
    """
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(write_scopes(object_type))
    raw_ids = [i.id for i in inputs]
    duplicates = [raw for raw, n in Counter(raw_ids).items() if n > 1]
    if duplicates:
        raise duplicate_ids_error(duplicates)
    now = now_ms()
    outcome: BatchOutcome[CrmObject] = BatchOutcome()
    with services.database.write() as conn:
        catalogue = load_properties(conn, principal.portal_id, object_type)
        resolved = _resolve(conn, principal.portal_id, catalogue, inputs, single=single)
        found = {
            r.id: r
            for r in object_store.get_objects(
                conn,
                principal.portal_id,
                object_type.id,
                {i for i in resolved if i is not None},
                archived=False,
                for_update=True,
            )
        }
        if single:
            # a single PATCH also takes the id of a record merged away (reference §5.3)
            for object_id in resolved:
                if object_id is not None and object_id not in found:
                    merged = merged_into(conn, principal.portal_id, object_type, object_id)
                    if merged is not None and merged.archived_at is None:
                        found[object_id] = merged
        targets: list[tuple[ObjectUpdate, ObjectRow]] = []
        missing: list[str] = []
        for item, object_id in zip(inputs, resolved, strict=True):
            row = found.get(object_id or 0)
            if row is None:
                missing.append(item.id)
            else:
                targets.append((item, row))
        repeated = [raw for raw, n in Counter(r.id for _, r in targets).items() if n > 1]
        if repeated:
            raise duplicate_ids_error([str(i) for i in repeated])
        values = require_valid(
            WriteContext(conn, principal.portal_id, catalogue),
            [RecordWrite(item.properties, row.properties) for item, row in targets],
        )
        changed = [
            ObjectRow(row.id, {**row.properties, **new}, row.created_at, now, None)
            for (_, row), new in zip(targets, values, strict=True)
        ]
        check_record_values(
            conn,
            principal.portal_id,
            object_type,
            [(new, row.properties) for (_, row), new in zip(targets, values, strict=True)],
        )
        object_store.set_properties(
            conn, principal.portal_id, object_type.id, [(r.id, r.properties) for r in changed], now
        )
        claim_unique_values(
            conn,
            principal.portal_id,
            catalogue,
            [
                UniqueWrite(row.id, new, row.properties)
                for (_, row), new in zip(targets, values, strict=True)
            ],
        )
    outcome.results = [
        CrmObject(object_type, r, object_write_trace_id=item.object_write_trace_id)
        for (item, _), r in zip(targets, changed, strict=True)
    ]
    if missing:
        outcome.errors.append(objects_not_found_error(object_type, missing))
    return outcome


def _resolve(
    conn: Connection,
    portal_id: int,
    catalogue: PortalProperties,
    inputs: list[ObjectUpdate],
    *,
    single: bool,
) -> list[int | None]:
    """The record each input names, one lookup per idProperty used."""
    by_property: dict[str | None, list[str]] = defaultdict(list)
    for item in inputs:
        if not single and item.id_property == CONTACT_EMAIL and catalogue.object_type.id == "0-1":
            raise non_unique_id_property(catalogue.object_type, CONTACT_EMAIL, portal_id)
        by_property[item.id_property].append(item.id)
    found = {
        prop: resolve_ids(conn, portal_id, catalogue.object_type, prop, raws)
        for prop, raws in by_property.items()
    }
    return [found[item.id_property][item.id] for item in inputs]


def update_object(
    services: Services,
    principal: Principal,
    object_type_name: str,
    raw_id: str,
    properties: Properties,
    id_property: str | None = None,
) -> CrmObject:
    """PATCH: 404 when the record is missing or archived; 400 when nothing is sent."""
    principal.require_any(
        write_scopes(services.object_types.resolve(object_type_name, principal.portal_id))
    )
    if not properties:
        raise ValidationError(NOTHING_TO_UPDATE)
    outcome = batch_update(
        services,
        principal,
        object_type_name,
        [ObjectUpdate(raw_id, properties, id_property)],
        single=True,
    )
    if not outcome.results:
        raise ObjectNotFound()
    return outcome.results[0]


def batch_archive(
    services: Services, principal: Principal, object_type_name: str, raw_ids: list[str]
) -> None:
    """Archive every live record named; other ids are ignored, as a single DELETE does."""
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(write_scopes(object_type))
    ids = {i for i in parse_ids(raw_ids).values() if i is not None}
    if not ids:
        return
    with services.database.write() as conn:
        archive_records(conn, principal.portal_id, object_type, ids)
