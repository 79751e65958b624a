"""Creating records, with the associations each may carry (reference §10.2).

A record and its associations are written in one transaction, through the same labelled
write as the v4 API (``association_labels.write_labelled``): both directions, the
unlabeled type always added, label replace semantics, primary demotion and limits.
An invalid association fails the whole request with 400 "One or more associations are
invalid"; in a batch, an input that carries ``objectWriteTraceId`` fails alone instead
(multi-status is opt-in, reference §10.1).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection

from hubgraph.domain.association_types import AssociationType
from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.scopes import write_scopes
from hubgraph.errors import PropertyValuesNotValid
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations.definitions import (
    PortalAssociationTypes,
    portal_association_types,
)
from hubgraph.services.associations.kernel import (
    INVALID_ASSOCIATIONS,
    LiveRecords,
    ObjectTypePair,
    invalid_object_ids_error,
)
from hubgraph.services.associations.labelled_writes import (
    LabelledInput,
    TypeKey,
    as_request_error,
    invalid_type_error,
    resolve_types,
    write_labelled,
)
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.custom_objects.required import required_properties
from hubgraph.services.ids import parse_object_id
from hubgraph.services.pipelines.record_values import check_record_values
from hubgraph.services.properties.catalogue import load_properties
from hubgraph.services.properties.unique import UniqueWrite, claim_unique_values
from hubgraph.services.properties.validation import (
    RecordWrite,
    WriteContext,
    validate_writes,
    values_error,
)
from hubgraph.services.records.reads import CrmObject, Properties
from hubgraph.services.results import BatchOutcome, ItemError
from hubgraph.store import objects as object_store
from hubgraph.store import portals as portal_store
from hubgraph.store.objects import ObjectRow


@dataclass(frozen=True, slots=True)
class AssociationInput:
    """``PublicAssociationsForObject``: a target id as sent, and the types to it."""

    to_id: str
    types: list[TypeKey]


@dataclass(frozen=True, slots=True)
class ObjectInput:
    properties: Properties
    associations: list[AssociationInput] = field(default_factory=list)
    object_write_trace_id: str | None = None


@dataclass(slots=True)
class _Planned:
    """One input's record id and its associations, grouped by target type."""

    index: int
    object_id: int
    by_target: dict[str, dict[int, LabelledInput]] = field(default_factory=dict)


def create_objects(
    services: Services, principal: Principal, object_type_name: str, inputs: list[ObjectInput]
) -> BatchOutcome[CrmObject]:
    """Create every valid input and its associations; errors only for traced inputs."""
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(write_scopes(object_type))
    outcome: BatchOutcome[CrmObject] = BatchOutcome()
    now = now_ms()
    with services.database.write() as conn:
        ids = portal_store.allocate_object_ids(conn, principal.portal_id, len(inputs))
        catalogue = load_properties(conn, principal.portal_id, object_type)
        checked = validate_writes(
            WriteContext(conn, principal.portal_id, catalogue),
            [RecordWrite(i.properties) for i in inputs],
        )
        types = portal_association_types(services, conn, principal.portal_id)
        planned = _plan(services, conn, principal.portal_id, object_type, types, inputs, ids)
        required = required_properties(conn, principal.portal_id, object_type)
        kept: list[_Planned] = []
        for index, plan in enumerate(planned):
            trace_id = inputs[index].object_write_trace_id
            invalid = values_error(checked[index], principal.portal_id)
            if invalid is not None and trace_id is None:
                raise PropertyValuesNotValid(checked[index].invalid, principal.portal_id)
            missing = required.missing(checked[index].values)
            problem = invalid or missing or plan
            if isinstance(problem, _Planned):
                kept.append(problem)
                continue
            if trace_id is None:
                raise as_request_error(problem)
            outcome.errors.append(_traced(problem, trace_id))
        rows = [(p.object_id, checked[p.index].values) for p in kept]
        check_record_values(conn, principal.portal_id, object_type, [(r, None) for _, r in rows])
        object_store.insert_objects(conn, principal.portal_id, object_type.id, rows, now)
        claim_unique_values(
            conn, principal.portal_id, catalogue, [UniqueWrite(i, values) for i, values in rows]
        )
        _associate(services, conn, principal.portal_id, object_type, kept)
    outcome.results = [
        CrmObject(
            object_type,
            ObjectRow(p.object_id, checked[p.index].values, now, now, None),
            object_write_trace_id=inputs[p.index].object_write_trace_id,
        )
        for p in kept
    ]
    return outcome


def _plan(
    services: Services,
    conn: Connection,
    portal_id: int,
    object_type: ObjectType,
    types: PortalAssociationTypes,
    inputs: list[ObjectInput],
    ids: list[int],
) -> list[_Planned | ItemError]:
    """Each input's associations resolved and checked: one liveness query per target type."""
    resolved: list[list[tuple[ObjectTypePair, LabelledInput]] | ItemError] = []
    wanted: dict[str, set[int]] = defaultdict(set)
    for item, object_id in zip(inputs, ids, strict=True):
        pairs = _resolve(services, types, object_type, str(object_id), item.associations)
        resolved.append(pairs)
        if not isinstance(pairs, ItemError):
            for pair, labelled in pairs:
                to_id = parse_object_id(labelled.to_id)
                if to_id is not None:
                    wanted[pair.to_type.id].add(to_id)
    live = LiveRecords(conn, portal_id, wanted)
    plans: list[_Planned | ItemError] = []
    for index, (pairs, object_id) in enumerate(zip(resolved, ids, strict=True)):
        if isinstance(pairs, ItemError):
            plans.append(pairs)
            continue
        dead = [
            (pair.to_type, labelled.to_id)
            for pair, labelled in pairs
            if not live.contains(pair.to_type, parse_object_id(labelled.to_id))
        ]
        plans.append(invalid_object_ids_error(dead) if dead else _merge(index, object_id, pairs))
    return plans


def _resolve(
    services: Services,
    types: PortalAssociationTypes,
    object_type: ObjectType,
    new_id: str,
    associations: list[AssociationInput],
) -> list[tuple[ObjectTypePair, LabelledInput]] | ItemError:
    """The pair each association's types fix (a typeId fixes its object pair, §4.2), or
    the error for the first association whose types don't describe record→target."""
    pairs: list[tuple[ObjectTypePair, LabelledInput]] = []
    for a in associations:
        if not a.types:
            return ItemError(
                category="VALIDATION_ERROR",
                message=INVALID_ASSOCIATIONS,
                context={"toObjectId": [a.to_id], "associationSpec": []},
            )
        first: AssociationType | None = types.get(*a.types[0])
        if first is None:
            return invalid_type_error(*a.types[0])
        pair = ObjectTypePair(object_type, services.object_types.by_id(first.to_type))
        labelled = LabelledInput(new_id, a.to_id, a.types)
        checked = resolve_types(services, types, pair, labelled)
        if isinstance(checked, ItemError):
            return checked
        pairs.append((pair, labelled))
    return pairs


def _merge(
    index: int, object_id: int, pairs: list[tuple[ObjectTypePair, LabelledInput]]
) -> _Planned:
    """Associations to the same target add up: the types of all of them are written."""
    plan = _Planned(index, object_id)
    for pair, labelled in pairs:
        to_id = parse_object_id(labelled.to_id)
        assert to_id is not None, "checked live"
        targets = plan.by_target.setdefault(pair.to_type.id, {})
        previous = targets.get(to_id)
        merged = list(dict.fromkeys([*(previous.types if previous else []), *labelled.types]))
        targets[to_id] = LabelledInput(labelled.from_id, str(to_id), merged)
    return plan


def _associate(
    services: Services,
    conn: Connection,
    portal_id: int,
    object_type: ObjectType,
    plans: list[_Planned],
) -> None:
    """One labelled write per target type; any refusal (a limit) fails the whole request."""
    by_target: dict[str, list[LabelledInput]] = defaultdict(list)
    for plan in plans:
        for to_type, targets in plan.by_target.items():
            by_target[to_type] += targets.values()
    for to_type, labelled in by_target.items():
        pair = ObjectTypePair(object_type, services.object_types.by_id(to_type))
        written = write_labelled(services, conn, portal_id, pair, labelled, both_directions=False)
        if written.errors:
            raise as_request_error(written.errors[0])


def _traced(error: ItemError, trace_id: str) -> ItemError:
    return ItemError(
        category=error.category,
        message=error.message,
        context={**error.context, "objectWriteTraceId": [trace_id]},
        sub_category=error.sub_category,
    )


def create_one(
    services: Services, principal: Principal, object_type_name: str, item: ObjectInput
) -> CrmObject:
    """The single create: its input carries no trace id, so any error fails the request."""
    return create_objects(services, principal, object_type_name, [item]).results[0]
