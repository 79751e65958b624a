"""Removing associations: whole pairs, or some of a pair's types. Both directions, always.

Pairs whose records are missing or archived are left alone: deleting nothing is not an
error on HubSpot (204, idempotent), and an archived record's rows must survive for a
restore (reference §10.4).
"""

from __future__ import annotations

from sqlalchemy import Connection

from hubgraph.domain.associations import Association
from hubgraph.domain.scopes import association_write_scopes
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations.definitions import portal_association_types
from hubgraph.services.associations.kernel import LiveRecords, ObjectTypePair, resolve_pair
from hubgraph.services.associations.labelled_writes import (
    LabelledInput,
    as_request_error,
    resolve_types,
)
from hubgraph.services.context import Services
from hubgraph.services.ids import parse_object_id
from hubgraph.services.results import ItemError
from hubgraph.store import associations as association_store
from hubgraph.store.associations import RecordPair


def _live_pairs(
    conn: Connection, portal_id: int, pair: ObjectTypePair, raw: list[tuple[str, str]]
) -> list[tuple[int, int] | None]:
    """Each raw pair as ids when both records are live, else None: one query per type."""
    parsed = [(parse_object_id(f), parse_object_id(t)) for f, t in raw]
    wanted: dict[str, set[int]] = {pair.from_type.id: set(), pair.to_type.id: set()}
    for f, t in parsed:
        if f is not None:
            wanted[pair.from_type.id].add(f)
        if t is not None:
            wanted[pair.to_type.id].add(t)
    live = LiveRecords(conn, portal_id, wanted)
    return [
        (f, t)
        if f is not None
        and t is not None
        and live.contains(pair.from_type, f)
        and live.contains(pair.to_type, t)
        else None
        for f, t in parsed
    ]


def _both_directions(pair: ObjectTypePair, ids: set[tuple[int, int]]) -> list[RecordPair]:
    directed: list[RecordPair] = []
    for f, t in sorted(ids):
        directed.append((pair.from_type.id, f, pair.to_type.id, t))
        directed.append((pair.to_type.id, t, pair.from_type.id, f))
    return directed


def archive_pairs(
    services: Services,
    principal: Principal,
    from_type_name: str,
    to_type_name: str,
    raw_pairs: list[tuple[str, str]],
) -> None:
    """Remove every type between each pair, in both directions: one bulk delete."""
    pair = resolve_pair(services, from_type_name, to_type_name, principal.portal_id)
    principal.require_any(association_write_scopes(pair.from_type, pair.to_type))
    with services.database.write() as conn:
        ids = {p for p in _live_pairs(conn, principal.portal_id, pair, raw_pairs) if p}
        association_store.delete_pairs(conn, principal.portal_id, _both_directions(pair, ids))


def archive_labels(
    services: Services,
    principal: Principal,
    from_type_name: str,
    to_type_name: str,
    inputs: list[LabelledInput],
) -> None:
    """Remove only the listed types (and their inverses). Removing the pair's unlabeled
    type removes every type between the pair (reference §1.10).

    A type that does not exist or belongs to another object pair fails the whole request
    with HubSpot's error for it: a 204 has no room for per-item errors.
    """
    pair = resolve_pair(services, from_type_name, to_type_name, principal.portal_id)
    principal.require_any(association_write_scopes(pair.from_type, pair.to_type))
    with services.database.write() as conn:
        types = portal_association_types(services, conn, principal.portal_id)
        resolved = []
        for item in inputs:
            found = resolve_types(services, types, pair, item)
            if isinstance(found, ItemError):
                raise as_request_error(found)
            resolved.append(found)
        live = _live_pairs(conn, principal.portal_id, pair, [(i.from_id, i.to_id) for i in inputs])
        whole: set[tuple[int, int]] = set()
        rows: set[Association] = set()
        for ids, found in zip(live, resolved, strict=True):
            if ids is None:
                continue
            f, t = ids
            if any(x.is_default for x in found):
                whole.add(ids)
                continue
            for x in found:
                inverse = types.inverse_of(x)
                rows.add(
                    Association(pair.from_type.id, f, pair.to_type.id, t, x.category, x.type_id)
                )
                rows.add(
                    Association(
                        pair.to_type.id, t, pair.from_type.id, f, inverse.category, inverse.type_id
                    )
                )
        association_store.delete_pairs(conn, principal.portal_id, _both_directions(pair, whole))
        association_store.delete_associations(conn, principal.portal_id, rows)
