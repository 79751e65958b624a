"""Checking the properties of record writes: HubSpot's "Property values were not valid".

Every write path (create, PATCH, batch create/update/upsert, create with associations,
seed) calls ``validate_writes`` once per batch. It

1. checks each value against its definition (unknown, read-only, type, options, email)
   and turns it into its canonical form (``domain.property_values``), then
2. runs every check in ``RECORD_CHECKS`` over the whole batch.

``RECORD_CHECKS`` is the one place where checks that need more than one value or the
database are registered (a deal stage against its pipeline, an owner id against the
portal's owners): append a ``RecordCheck``. A check sees the canonical values and each
record's current properties, and answers one list of problems per write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from hubgraph.domain.property_values import canonical_value, does_not_exist, read_only
from hubgraph.errors import InvalidProperty, PropertyValuesNotValid, property_values_message
from hubgraph.services.properties.catalogue import PortalProperties
from hubgraph.services.results import ItemError

Properties = dict[str, str | None]


@dataclass(frozen=True, slots=True)
class WriteContext:
    conn: Connection
    portal_id: int
    properties: PortalProperties
    """The definitions of the type written (``properties.object_type``)."""


@dataclass(frozen=True, slots=True)
class RecordWrite:
    values: Properties
    """The properties sent (canonical, when a RecordCheck sees them)."""
    current: Mapping[str, str | None] | None = None
    """The record's properties before the write; None for a record being created."""


@dataclass(slots=True)
class CheckedWrite:
    values: Properties
    """Canonical values, ready to store."""
    invalid: list[InvalidProperty] = field(default_factory=list)

    def error(self, portal_id: int) -> PropertyValuesNotValid | None:
        return PropertyValuesNotValid(self.invalid, portal_id) if self.invalid else None


RecordCheck = Callable[[WriteContext, Sequence[RecordWrite]], Sequence[list[InvalidProperty]]]

RECORD_CHECKS: list[RecordCheck] = []
"""Checks beyond one value's definition, run in order on every record write."""


def check_values(properties: PortalProperties, write: RecordWrite) -> CheckedWrite:
    """Each value against its definition; every invalid property is reported (§2.1)."""
    checked = CheckedWrite({})
    for name, value in write.values.items():
        definition = properties.live(name)
        if definition is None:
            checked.invalid.append(does_not_exist(name))
            continue
        if definition.read_only_value:
            checked.invalid.append(read_only(name))
            continue
        if value is None:
            checked.values[name] = None
            continue
        current = write.current.get(name) if write.current is not None else None
        result = canonical_value(definition, value, current)
        if isinstance(result, InvalidProperty):
            checked.invalid.append(result)
        else:
            checked.values[name] = result
    return checked


def validate_writes(ctx: WriteContext, writes: Sequence[RecordWrite]) -> list[CheckedWrite]:
    """Each write checked and canonical; the caller decides how a failure is reported."""
    checked = [check_values(ctx.properties, w) for w in writes]
    canonical = [RecordWrite(c.values, w.current) for c, w in zip(checked, writes, strict=True)]
    for check in RECORD_CHECKS:
        for result, problems in zip(checked, check(ctx, canonical), strict=True):
            result.invalid += problems
    return checked


def require_valid(ctx: WriteContext, writes: Sequence[RecordWrite]) -> list[Properties]:
    """All-or-nothing: the first invalid write fails the request with HubSpot's 400."""
    checked = validate_writes(ctx, writes)
    for result in checked:
        error = result.error(ctx.portal_id)
        if error is not None:
            raise error
    return [c.values for c in checked]


def values_error(checked: CheckedWrite, portal_id: int) -> ItemError | None:
    """The batch item for an invalid write (reference §2.5): the same message as the 400."""
    if not checked.invalid:
        return None
    return ItemError("VALIDATION_ERROR", property_values_message(checked.invalid, portal_id))
