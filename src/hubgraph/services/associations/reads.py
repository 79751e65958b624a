"""Reading a record's associations: one entry per associated record, all its types.

Archived records neither appear as targets nor have associations of their own, though
their rows are kept (reference §10.4). Pages are ascending by toObjectId; the cursor is
opaque to clients (reference §7).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from hubgraph.domain.association_types import Category
from hubgraph.domain.associations import Association
from hubgraph.domain.scopes import read_scopes
from hubgraph.errors import ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations.definitions import (
    PortalAssociationTypes,
    portal_association_types,
)
from hubgraph.services.associations.kernel import ObjectTypePair, resolve_pair
from hubgraph.services.context import Services
from hubgraph.services.ids import parse_object_id
from hubgraph.services.results import BatchOutcome, ItemError
from hubgraph.store import associations as association_store
from hubgraph.store import objects as object_store

MAX_PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class AssociationSpecWithLabel:
    category: Category
    type_id: int
    label: str | None


@dataclass(frozen=True, slots=True)
class MultiAssociatedObjectWithLabel:
    to_object_id: int
    association_types: list[AssociationSpecWithLabel]


@dataclass(slots=True)
class AssociatedPage:
    """One record's associated records of one type, and the cursor to the next page."""

    from_id: str
    results: list[MultiAssociatedObjectWithLabel] = field(default_factory=list)
    after: str | None = None


@dataclass(frozen=True, slots=True)
class FetchInput:
    id: str
    after: str | None = None


def encode_cursor(last_to_id: int) -> str:
    """Base64 of the last id, percent-encoded as HubSpot sends it (``…%3D``, reference §7)."""
    return quote(base64.b64encode(f"0-{last_to_id}".encode()).decode(), safe="")


def decode_cursor(after: str) -> int:
    """The last id of the previous page; accepts the cursor percent-encoded or not."""
    text = after
    for _ in range(3):  # sent back as received, decoded once, or encoded once more
        if "%" not in text:
            break
        text = unquote(text)
    try:
        decoded = base64.b64decode(text.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    prefix, _, raw_id = decoded.partition("-")
    last = parse_object_id(raw_id) if prefix == "0" else None
    if last is None:
        raise ValidationError(f"Invalid paging cursor: {after}", context={"after": [after]})
    return last


def _group(
    rows: Iterable[Association], types: PortalAssociationTypes, pair: ObjectTypePair
) -> dict[int, dict[int, list[AssociationSpecWithLabel]]]:
    """Rows → from_id → to_id → types, the pair's unlabeled type first (docs' order)."""
    default = types.default_for(pair.from_type.id, pair.to_type.id)
    default_key = (default.category, default.type_id) if default is not None else None
    # Specs are immutable and few per pair: one object per type, shared by every row.
    specs_by_type: dict[tuple[Category, int], AssociationSpecWithLabel] = {}
    grouped: dict[int, dict[int, list[AssociationSpecWithLabel]]] = {}
    for r in rows:
        key = (r.category, r.type_id)
        spec = specs_by_type.get(key)
        if spec is None:
            t = types.get(*key)
            spec = specs_by_type[key] = AssociationSpecWithLabel(*key, t.label if t else None)
        specs = grouped.setdefault(r.from_id, {}).setdefault(r.to_id, [])
        if key == default_key:
            specs.insert(0, spec)
        else:
            specs.append(spec)
    return grouped


def _page(
    from_id: str, by_to: dict[int, list[AssociationSpecWithLabel]], size: int
) -> AssociatedPage:
    """Rows were fetched for ``size + 1`` targets; the extra one only says more remain."""
    targets = sorted(by_to)
    page = AssociatedPage(from_id)
    page.results = [MultiAssociatedObjectWithLabel(t, by_to[t]) for t in targets[:size]]
    if len(targets) > size:
        page.after = encode_cursor(targets[size - 1])
    return page


def get_page(
    services: Services,
    principal: Principal,
    from_type_name: str,
    raw_id: str,
    to_type_name: str,
    *,
    limit: int,
    after: str | None,
) -> AssociatedPage:
    """GET list: a missing or archived record has no associations (200, empty results)."""
    pair = resolve_pair(services, from_type_name, to_type_name, principal.portal_id)
    principal.require_any(read_scopes(pair.from_type))
    size = min(limit, MAX_PAGE_SIZE)
    if size < 1:
        raise ValidationError(
            f"limit must be at least 1, got {limit}", context={"limit": [str(limit)]}
        )
    cursor = decode_cursor(after) if after else 0
    from_id = parse_object_id(raw_id)
    if from_id is None:
        return AssociatedPage(raw_id)
    with services.database.read() as conn:
        live = object_store.active_object_ids(
            conn, principal.portal_id, pair.from_type.id, [from_id]
        )
        if not live:
            return AssociatedPage(raw_id)
        types = portal_association_types(services, conn, principal.portal_id)
        rows = association_store.page_of_associated(
            conn,
            principal.portal_id,
            pair.from_type.id,
            pair.to_type.id,
            {from_id: cursor},
            size + 1,
        )
    return _page(raw_id, _group(rows, types, pair).get(from_id, {}), size)


def no_associations_error(pair: ObjectTypePair, raw_id: str) -> ItemError:
    """HubSpot's batch read item for an input with nothing to return (reference §1.7)."""
    return ItemError(
        category="OBJECT_NOT_FOUND",
        sub_category="crm.associations.NO_ASSOCIATIONS_FOUND",
        message=(
            f"No {pair.to_type.singular} is associated with {pair.from_type.singular} {raw_id}."
        ),
        context={
            "fromObjectId": [raw_id],
            "fromObjectType": [pair.from_type.singular],
            "toObjectType": [pair.to_type.singular],
        },
    )


def batch_read(
    services: Services,
    principal: Principal,
    from_type_name: str,
    to_type_name: str,
    inputs: list[FetchInput],
) -> BatchOutcome[AssociatedPage]:
    """A page per input (each continues from its own ``after``): two queries in all.

    Inputs with nothing to return become errors; an id sent twice is answered once.
    """
    pair = resolve_pair(services, from_type_name, to_type_name, principal.portal_id)
    principal.require_any(read_scopes(pair.from_type))
    size = services.settings.association_batch_read_page_size
    distinct: dict[str, FetchInput] = {}
    for i in inputs:
        distinct.setdefault(i.id, i)
    cursors: dict[int, int] = {}
    for i in distinct.values():
        from_id = parse_object_id(i.id)
        if from_id is not None:
            cursors[from_id] = decode_cursor(i.after) if i.after else 0
    outcome: BatchOutcome[AssociatedPage] = BatchOutcome()
    with services.database.read() as conn:
        live = object_store.active_object_ids(conn, principal.portal_id, pair.from_type.id, cursors)
        types = portal_association_types(services, conn, principal.portal_id)
        rows = association_store.page_of_associated(
            conn,
            principal.portal_id,
            pair.from_type.id,
            pair.to_type.id,
            {f: a for f, a in cursors.items() if f in live},
            size + 1,
        )
    grouped = _group(rows, types, pair)
    for i in distinct.values():
        by_to = grouped.get(parse_object_id(i.id) or 0)
        if not by_to:
            outcome.errors.append(no_associations_error(pair, i.id))
            continue
        outcome.results.append(_page(i.id, by_to, size))
    return outcome
