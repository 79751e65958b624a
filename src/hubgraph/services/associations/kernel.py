"""What every association write shares: object type pairs, live records, limits, errors."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from hubgraph.domain.association_types import AssociationType, Category
from hubgraph.domain.associations import Association
from hubgraph.domain.object_types import ObjectType
from hubgraph.errors import ValidationError
from hubgraph.services.associations.definitions import portal_association_types
from hubgraph.services.associations.limits import LimitCheck, LimitExceeded, limit_exceeded_error
from hubgraph.services.context import Services
from hubgraph.services.results import BatchOutcome, ItemError
from hubgraph.store import objects as object_store

INVALID_ASSOCIATIONS = "One or more associations are invalid"


@dataclass(frozen=True, slots=True)
class ObjectPair:
    """An input's two record ids, exactly as the client sent them."""

    from_id: str
    to_id: str


@dataclass(frozen=True, slots=True)
class ObjectTypePair:
    from_type: ObjectType
    to_type: ObjectType


def resolve_pair(
    services: Services, from_name: str, to_name: str, portal_id: int | None = None
) -> ObjectTypePair:
    return ObjectTypePair(
        services.object_types.resolve(from_name, portal_id),
        services.object_types.resolve(to_name, portal_id),
    )


def default_types(
    services: Services,
    pair: ObjectTypePair,
    portal_id: int | None = None,
    conn: Connection | None = None,
) -> tuple[AssociationType, AssociationType]:
    """The pair's unlabeled type and its inverse: HubSpot-defined, or for a custom object
    the portal's unlabeled type its schema defined (read in ``conn`` when given)."""
    forward: AssociationType | None
    backward: AssociationType | None
    if portal_id is not None and (pair.from_type.is_custom or pair.to_type.is_custom):
        if conn is None:
            with services.database.read() as own:
                types = portal_association_types(services, own, portal_id)
        else:
            types = portal_association_types(services, conn, portal_id)
        forward = types.default_for(pair.from_type.id, pair.to_type.id)
        backward = None if forward is None else types.inverse_of(forward)
    else:
        forward = services.association_types.default_for(pair.from_type.id, pair.to_type.id)
        backward = (
            None
            if forward is None
            else services.association_types.get(Category.HUBSPOT_DEFINED, forward.inverse_type_id)
        )
    if forward is None or backward is None:
        raise ValidationError(
            f"There is no default association type from {pair.from_type.singular} "
            f"to {pair.to_type.singular}",
            context={
                "fromObjectType": [pair.from_type.id],
                "toObjectType": [pair.to_type.id],
            },
        )
    return forward, backward


def invalid_object_ids_error(invalid: list[tuple[ObjectType, str]]) -> ItemError:
    """HubSpot's error for records that are missing, archived, or not ids at all (ref §5.4)."""
    return ItemError(
        category="VALIDATION_ERROR",
        message=INVALID_ASSOCIATIONS,
        context={
            "INVALID_OBJECT_IDS": [f"{t.error_name}={raw} is not valid" for t, raw in invalid],
            "objectId": [raw for _, raw in invalid],
            "objectType": [t.error_name for t, _ in invalid],
        },
    )


class LiveRecords:
    """Which of a batch's ids are live records: one query per object type."""

    def __init__(self, conn: Connection, portal_id: int, wanted: dict[str, set[int]]) -> None:
        self._live = {
            object_type_id: object_store.active_object_ids(conn, portal_id, object_type_id, ids)
            for object_type_id, ids in wanted.items()
        }

    def contains(self, object_type: ObjectType, object_id: int | None) -> bool:
        return object_id is not None and object_id in self._live.get(object_type.id, ())


def wanted_ids(
    pair: ObjectTypePair, parsed: list[tuple[int | None, int | None]]
) -> dict[str, set[int]]:
    wanted: dict[str, set[int]] = {pair.from_type.id: set(), pair.to_type.id: set()}
    for from_id, to_id in parsed:
        if from_id is not None:
            wanted[pair.from_type.id].add(from_id)
        if to_id is not None:
            wanted[pair.to_type.id].add(to_id)
    return wanted


def admit_within_limits(
    services: Services,
    conn: Connection,
    portal_id: int,
    candidates: list[list[Association]],
    outcome: BatchOutcome[Association],
    removals: list[set[Association]] | None = None,
) -> dict[Association, None]:
    """The rows of every input that stays within the limits, in order and without repeats.

    Inputs that would pass a limit become errors in ``outcome`` and write nothing.
    ``removals`` (one set per input) are the rows an input deletes when it is written: the
    check is then on the state the request leaves, so a slot freed by a later input is
    offered again to the earlier inputs it refused.
    """
    removed = removals if removals is not None else [set() for _ in candidates]
    check = LimitCheck(conn, portal_id, candidates, removed)
    if not check.limited:  # the common case: nothing to count, so no per-input work
        return dict.fromkeys(row for rows in candidates for row in rows)
    admitted: dict[Association, None] = {}  # an insertion-ordered set
    refused: dict[int, LimitExceeded] = {}
    waiting = list(range(len(candidates)))
    while waiting:
        for i in waiting:
            exceeded = check.admit(candidates[i], removed[i])
            if exceeded is None:
                refused.pop(i, None)
                admitted.update(dict.fromkeys(candidates[i]))
            else:
                refused[i] = exceeded
        progress = len(refused) < len(waiting)
        waiting = sorted(refused) if progress and any(removed) else []
    for i in sorted(refused):
        from_name = services.object_types.by_id(refused[i].row.from_type).singular
        outcome.errors.append(limit_exceeded_error(refused[i], from_name))
    return admitted


def row(
    from_type: ObjectType, from_id: int, to_type: ObjectType, to_id: int, t: AssociationType
) -> Association:
    return Association(from_type.id, from_id, to_type.id, to_id, t.category, t.type_id)
