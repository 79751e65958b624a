"""``POST …/batch/upsert``: create or update records found by a unique property (§3.5).

Each input names its record by the value ``id`` of ``idProperty`` (contact ``email`` or a
``hasUniqueValue`` property; the record id itself is refused, segmentio#3957). A value
no record holds creates a record carrying it (and needs the type's required properties,
as a create does); otherwise the properties are merged into the holder. The batch is one
transaction: an invalid value, a missing required property, a unique value held by another
record, or two inputs naming the same record fail the whole request.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from hubgraph.domain.property_values import canonical_value
from hubgraph.domain.scopes import write_scopes
from hubgraph.errors import InvalidProperty, PropertyValuesNotValid, ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.custom_objects.required import required_properties
from hubgraph.services.properties.catalogue import PortalProperties, load_properties
from hubgraph.services.properties.unique import (
    RECORD_ID,
    UniqueWrite,
    claim_unique_values,
    non_unique_id_property,
    unique_id_property,
)
from hubgraph.services.properties.validation import RecordWrite, WriteContext, require_valid
from hubgraph.services.records.reads import CrmObject, Properties
from hubgraph.services.records.updates import duplicate_ids_error
from hubgraph.services.results import BatchOutcome
from hubgraph.store import objects as object_store
from hubgraph.store import portals as portal_store
from hubgraph.store import unique_values as unique_store
from hubgraph.store.objects import ObjectRow


@dataclass(frozen=True, slots=True)
class UpsertInput:
    """``SimplePublicObjectBatchInputUpsert``"""

    id: str
    id_property: str | None
    properties: Properties
    object_write_trace_id: str | None = None


def batch_upsert(
    services: Services,
    principal: Principal,
    object_type_name: str,
    inputs: list[UpsertInput],
    default_id_property: str | None = None,
) -> BatchOutcome[CrmObject]:
    """Results in input order, each with ``new``; all inputs are written or none."""
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(write_scopes(object_type))
    portal_id = principal.portal_id
    now = now_ms()
    with services.database.write() as conn:
        catalogue = load_properties(conn, portal_id, object_type)
        keys = [_key(catalogue, item, default_id_property, portal_id) for item in inputs]
        repeated = [f"{n}={v}" for (n, v), count in Counter(keys).items() if count > 1]
        if repeated:
            raise duplicate_ids_error(repeated)
        holders = unique_store.holders(conn, portal_id, object_type.id, set(keys))
        existing = {
            r.id: r
            for r in object_store.get_objects(
                conn,
                portal_id,
                object_type.id,
                set(holders.values()),
                archived=False,
                for_update=True,
            )
        }
        writes = [
            RecordWrite(item.properties, existing[holders[key]].properties)
            if key in holders
            else RecordWrite({**item.properties, key[0]: key[1]})
            for item, key in zip(inputs, keys, strict=True)
        ]
        values = require_valid(WriteContext(conn, portal_id, catalogue), writes)
        required = required_properties(conn, portal_id, object_type)
        for key, new_values in zip(keys, values, strict=True):
            missing = None if key in holders else required.missing(new_values)
            if missing is not None:
                raise ValidationError(missing.message, context=missing.context)
        new_count = sum(1 for key in keys if key not in holders)
        new_ids = iter(portal_store.allocate_object_ids(conn, portal_id, new_count))
        rows: list[tuple[ObjectRow, bool, Properties | None]] = []
        for key, new_values in zip(keys, values, strict=True):
            if key in holders:
                old = existing[holders[key]]
                merged = {**old.properties, **new_values}
                rows.append(
                    (ObjectRow(old.id, merged, old.created_at, now, None), False, old.properties)
                )
            else:
                rows.append((ObjectRow(next(new_ids), new_values, now, now, None), True, None))
        object_store.insert_objects(
            conn,
            portal_id,
            object_type.id,
            [(r.id, r.properties) for r, new, _ in rows if new],
            now,
        )
        object_store.set_properties(
            conn,
            portal_id,
            object_type.id,
            [(r.id, r.properties) for r, new, _ in rows if not new],
            now,
        )
        claim_unique_values(
            conn,
            portal_id,
            catalogue,
            [
                UniqueWrite(r.id, v, previous)
                for (r, _, previous), v in zip(rows, values, strict=True)
            ],
        )
    outcome: BatchOutcome[CrmObject] = BatchOutcome()
    outcome.results = [
        CrmObject(object_type, row, object_write_trace_id=item.object_write_trace_id, new=new)
        for item, (row, new, _) in zip(inputs, rows, strict=True)
    ]
    return outcome


def _key(
    catalogue: PortalProperties, item: UpsertInput, default_id_property: str | None, portal_id: int
) -> tuple[str, str]:
    """(idProperty, canonical value) naming the input's record."""
    name = item.id_property or default_id_property
    if name is None:
        raise ValidationError("Each upsert input needs an idProperty", context={"id": [item.id]})
    if name == RECORD_ID:
        raise non_unique_id_property(catalogue.object_type, name, portal_id)
    unique_id_property(catalogue, name, portal_id)
    definition = catalogue.live(name)
    assert definition is not None
    value = canonical_value(definition, item.id)
    if isinstance(value, InvalidProperty):
        raise PropertyValuesNotValid([value], portal_id)
    if not value:
        raise ValidationError(f"An upsert input's id must be a value of {name}")
    return name, value
