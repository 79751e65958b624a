"""Labelled association writes: the list of types sent defines the pair's labels.

Reference §1.3: to replace a label, send only the new one; to keep one while adding
another, send both. The pair's unlabeled type always stays. Setting a primary type
demotes the holder's previous primary to unlabeled-only (domain/primary.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection

from hubgraph.domain.association_types import AssociationType, Category
from hubgraph.domain.associations import Association
from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.primary import holder_is_from
from hubgraph.domain.scopes import association_write_scopes
from hubgraph.errors import ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations.definitions import (
    PortalAssociationTypes,
    portal_association_types,
)
from hubgraph.services.associations.kernel import (
    INVALID_ASSOCIATIONS,
    LiveRecords,
    ObjectTypePair,
    admit_within_limits,
    default_types,
    invalid_object_ids_error,
    resolve_pair,
)
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.ids import parse_object_id
from hubgraph.services.results import BatchOutcome, ItemError
from hubgraph.store import association_types as type_store
from hubgraph.store import associations as association_store

# (category, typeId) as a client sends it in an AssociationSpec.
TypeKey = tuple[Category, int]


@dataclass(frozen=True, slots=True)
class LabelledInput:
    """One input: two record ids as sent, and the association types wanted between them."""

    from_id: str
    to_id: str
    types: list[TypeKey]


@dataclass(frozen=True, slots=True)
class LabelsBetweenObjectPair:
    from_type: str
    from_id: int
    to_type: str
    to_id: int
    labels: list[str]


def invalid_type_error(category: Category, type_id: int) -> ItemError:
    """HubSpot's error for a (category, typeId) that names no association type (ref §5.4)."""
    spec = f"{category.value}={type_id}"
    return ItemError(
        category="VALIDATION_ERROR",
        message=INVALID_ASSOCIATIONS,
        context={
            "associationSpec": [spec],
            "INVALID_ASSOCIATION_TYPE_ID": [f"{spec} is not a valid association definition id"],
        },
    )


def resolve_types(
    services: Services,
    types: PortalAssociationTypes,
    pair: ObjectTypePair,
    item: LabelledInput,
) -> list[AssociationType] | ItemError:
    """The input's types, or the error HubSpot gives for the first one that doesn't fit.

    A typeId fixes its own object pair, and HubSpot checks the ids against that pair, not
    the path (reference §1.3, hubspot-api-nodejs#646): a deal id sent with contact→company
    typeId 1 is reported as ``CONTACT=<id> is not valid``.
    """
    resolved: list[AssociationType] = []
    for category, type_id in item.types:
        t = types.get(category, type_id)
        # A type whose inverse is missing cannot be written in both directions.
        if t is None or types.get(t.category, t.inverse_type_id) is None:
            return invalid_type_error(category, type_id)
        if (t.from_type, t.to_type) != (pair.from_type.id, pair.to_type.id):
            invalid: list[tuple[ObjectType, str]] = []
            if t.from_type != pair.from_type.id:
                invalid.append((services.object_types.by_id(t.from_type), item.from_id))
            if t.to_type != pair.to_type.id:
                invalid.append((services.object_types.by_id(t.to_type), item.to_id))
            return invalid_object_ids_error(invalid)
        resolved.append(t)
    return resolved


@dataclass(slots=True)
class _Wanted:
    """What one distinct record pair should end up with, from→to."""

    from_id: int
    to_id: int
    types: dict[AssociationType, None] = field(default_factory=dict)  # ordered set


def _rows(pair: ObjectTypePair, w: _Wanted, types: PortalAssociationTypes) -> list[Association]:
    rows: list[Association] = []
    for t in w.types:
        rows.append(
            Association(
                pair.from_type.id, w.from_id, pair.to_type.id, w.to_id, t.category, t.type_id
            )
        )
        inverse = types.inverse_of(t)
        rows.append(
            Association(
                pair.to_type.id,
                w.to_id,
                pair.from_type.id,
                w.from_id,
                inverse.category,
                inverse.type_id,
            )
        )
    return rows


def create_labelled(
    services: Services,
    principal: Principal,
    from_type_name: str,
    to_type_name: str,
    inputs: list[LabelledInput],
    *,
    both_directions: bool,
) -> BatchOutcome[LabelsBetweenObjectPair]:
    """Set each pair's types to the ones sent (plus the unlabeled type), in both directions.

    Inputs that fail become per-item errors; the others are written in one transaction.
    A pair sent twice ends with the later input's types.
    """
    pair = resolve_pair(services, from_type_name, to_type_name, principal.portal_id)
    principal.require_any(association_write_scopes(pair.from_type, pair.to_type))
    with services.database.write() as conn:
        return write_labelled(
            services, conn, principal.portal_id, pair, inputs, both_directions=both_directions
        )


def write_labelled(
    services: Services,
    conn: Connection,
    portal_id: int,
    pair: ObjectTypePair,
    inputs: list[LabelledInput],
    *,
    both_directions: bool,
) -> BatchOutcome[LabelsBetweenObjectPair]:
    """``create_labelled`` inside a transaction the caller holds (e.g. a record's create),
    so the caller's writes and these commit or roll back together. Checks no scopes."""
    forward_default, _ = default_types(services, pair, portal_id, conn)
    outcome: BatchOutcome[LabelsBetweenObjectPair] = BatchOutcome()
    if any(c is Category.USER_DEFINED for i in inputs for c, _ in i.types):
        type_store.share_portal_labels(conn, portal_id)
    types = portal_association_types(services, conn, portal_id)
    wanted = _valid_inputs(services, conn, portal_id, pair, types, inputs, outcome)
    for w in wanted.values():
        w.types = {forward_default: None, **w.types}
    primaries, setters = _settle_primaries(wanted)
    pending = list(wanted.values())
    position = {id(w): i for i, w in enumerate(pending)}
    candidates = [_rows(pair, w, types) for w in pending]
    removals = _removals(conn, portal_id, pair, pending, candidates)
    for key, rows in _demoted(conn, portal_id, types, primaries).items():
        removals[position[id(setters[key])]] |= rows
    # admit_within_limits records errors on a BatchOutcome[Association]; collect them here.
    limit_errors: BatchOutcome[Association] = BatchOutcome()
    admitted = admit_within_limits(services, conn, portal_id, candidates, limit_errors, removals)
    outcome.errors += limit_errors.errors
    # An input refused over a limit writes nothing and removes nothing (nor demotes).
    kept = [i for i, rows in enumerate(candidates) if admitted.keys() >= set(rows)]
    desired = {r for i in kept for r in candidates[i]}
    stale = {r for i in kept for r in removals[i]} - desired
    association_store.delete_associations(conn, portal_id, stale)
    # Every desired row is inserted (existing ones are skipped by the database), so the
    # pair ends complete even if a concurrent request removed a row read as existing.
    association_store.insert_associations(conn, portal_id, sorted(desired, key=_order), now_ms())
    for w in (pending[i] for i in kept):
        outcome.results.append(
            _labels(pair.from_type.id, w.from_id, pair.to_type.id, w.to_id, w.types)
        )
        if both_directions:
            inverses = {types.inverse_of(t): None for t in w.types}
            outcome.results.append(
                _labels(pair.to_type.id, w.to_id, pair.from_type.id, w.from_id, inverses)
            )
    return outcome


def create_one(
    services: Services,
    principal: Principal,
    from_type_name: str,
    from_id: str,
    to_type_name: str,
    to_id: str,
    types: list[TypeKey],
) -> LabelsBetweenObjectPair:
    """The single PUT: any invalid part fails the request with the item's error."""
    outcome = create_labelled(
        services,
        principal,
        from_type_name,
        to_type_name,
        [LabelledInput(from_id, to_id, types)],
        both_directions=False,
    )
    if outcome.errors:
        raise as_request_error(outcome.errors[0])
    return outcome.results[0]


def as_request_error(error: ItemError) -> ValidationError:
    return ValidationError(error.message, context=error.context or None)


def _labels(
    from_type: str, from_id: int, to_type: str, to_id: int, types: dict[AssociationType, None]
) -> LabelsBetweenObjectPair:
    labels = [t.label for t in types if t.label is not None]
    return LabelsBetweenObjectPair(from_type, from_id, to_type, to_id, labels)


def _valid_inputs(
    services: Services,
    conn: Connection,
    portal_id: int,
    pair: ObjectTypePair,
    types: PortalAssociationTypes,
    inputs: list[LabelledInput],
    outcome: BatchOutcome[LabelsBetweenObjectPair],
) -> dict[tuple[int, int], _Wanted]:
    """The inputs whose types fit the pair and whose records are live, one per record pair."""
    parsed = [(parse_object_id(i.from_id), parse_object_id(i.to_id)) for i in inputs]
    wanted_ids: dict[str, set[int]] = {pair.from_type.id: set(), pair.to_type.id: set()}
    for from_id, to_id in parsed:
        if from_id is not None:
            wanted_ids[pair.from_type.id].add(from_id)
        if to_id is not None:
            wanted_ids[pair.to_type.id].add(to_id)
    live = LiveRecords(conn, portal_id, wanted_ids)
    wanted: dict[tuple[int, int], _Wanted] = {}
    for item, (from_id, to_id) in zip(inputs, parsed, strict=True):
        resolved = resolve_types(services, types, pair, item)
        if isinstance(resolved, ItemError):
            outcome.errors.append(resolved)
            continue
        invalid: list[tuple[ObjectType, str]] = []
        if not live.contains(pair.from_type, from_id):
            invalid.append((pair.from_type, item.from_id))
        if not live.contains(pair.to_type, to_id):
            invalid.append((pair.to_type, item.to_id))
        if invalid:
            outcome.errors.append(invalid_object_ids_error(invalid))
            continue
        assert from_id is not None
        assert to_id is not None
        # A pair sent again is replaced by the later input (replace semantics, in order).
        wanted.pop((from_id, to_id), None)
        wanted[(from_id, to_id)] = _Wanted(from_id, to_id, dict.fromkeys(resolved))
    return wanted


# A holder's primary: (the primary type from holder to primary, holder id) -> primary id.
Primaries = dict[tuple[AssociationType, int], int]


def _settle_primaries(
    wanted: dict[tuple[int, int], _Wanted],
) -> tuple[Primaries, dict[tuple[AssociationType, int], _Wanted]]:
    """Which primary each holder ends with, and the input that sets it; earlier inputs
    that set another one for the same holder lose it."""
    primaries: Primaries = {}
    setters: dict[tuple[AssociationType, int], _Wanted] = {}
    for w in wanted.values():
        for t in [t for t in w.types if t.is_primary]:
            holder, target = (w.from_id, w.to_id) if holder_is_from(t) else (w.to_id, w.from_id)
            key = (t, holder)
            previous = setters.get(key)
            if previous is not None and previous is not w:
                previous.types.pop(t, None)
            setters[key] = w
            primaries[key] = target
    return primaries, setters


def _removals(
    conn: Connection,
    portal_id: int,
    pair: ObjectTypePair,
    inputs: list[_Wanted],
    candidates: list[list[Association]],
) -> list[set[Association]]:
    """Per input, the stored rows between its two records (both directions) that it no
    longer wants: one row-value query per direction for all inputs."""
    existing = association_store.rows_between(
        conn, portal_id, pair.from_type.id, pair.to_type.id, {(w.from_id, w.to_id) for w in inputs}
    )
    index: dict[tuple[str, int, str, int], list[int]] = defaultdict(list)
    for i, w in enumerate(inputs):
        index[(pair.from_type.id, w.from_id, pair.to_type.id, w.to_id)].append(i)
        index[(pair.to_type.id, w.to_id, pair.from_type.id, w.from_id)].append(i)
    removals: list[set[Association]] = [set() for _ in inputs]
    for r in existing:
        # A same-object pair sent both ways ((a, b) and (b, a)) shares its rows.
        for i in dict.fromkeys(index[(r.from_type, r.from_id, r.to_type, r.to_id)]):
            removals[i].add(r)
    for i, rows in enumerate(candidates):
        removals[i] -= set(rows)
    return removals


def _order(r: Association) -> tuple[str, int, str, int, str, int]:
    return (r.from_type, r.from_id, r.to_type, r.to_id, r.category.value, r.type_id)


def _demoted(
    conn: Connection,
    portal_id: int,
    types: PortalAssociationTypes,
    primaries: Primaries,
) -> dict[tuple[AssociationType, int], set[Association]]:
    """Per (primary type, holder): the rows (both directions) of the holder's previous
    primary, when it changes."""
    holders: dict[AssociationType, set[int]] = defaultdict(set)
    for t, holder in primaries:
        holders[t].add(holder)
    stale: dict[tuple[AssociationType, int], set[Association]] = defaultdict(set)
    for t, holder_ids in holders.items():
        holder_type = t if holder_is_from(t) else types.inverse_of(t)
        inverse = types.inverse_of(holder_type)
        for row in association_store.rows_of_type_from(
            conn,
            portal_id,
            holder_type.from_type,
            holder_ids,
            holder_type.to_type,
            holder_type.category,
            holder_type.type_id,
        ):
            if primaries.get((t, row.from_id)) == row.to_id:
                continue
            stale[(t, row.from_id)] |= {
                row,
                Association(
                    row.to_type,
                    row.to_id,
                    row.from_type,
                    row.from_id,
                    inverse.category,
                    inverse.type_id,
                ),
            }
    return stale
