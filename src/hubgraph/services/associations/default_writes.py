"""Default associations: each pair gets its pair's default type, in both directions."""

from __future__ import annotations

from hubgraph.domain.associations import Association
from hubgraph.domain.scopes import association_write_scopes
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations.kernel import (
    LiveRecords,
    ObjectPair,
    admit_within_limits,
    default_types,
    invalid_object_ids_error,
    resolve_pair,
    row,
    wanted_ids,
)
from hubgraph.services.associations.labelled_writes import as_request_error
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.ids import parse_object_id
from hubgraph.services.results import BatchOutcome
from hubgraph.store import associations as association_store


def create_default(
    services: Services,
    principal: Principal,
    from_type_name: str,
    to_type_name: str,
    inputs: list[ObjectPair],
) -> BatchOutcome[Association]:
    """Associate each pair with its default type in both directions; bad pairs become errors.

    Valid inputs are written even when others fail; all writes commit together.
    """
    pair = resolve_pair(services, from_type_name, to_type_name, principal.portal_id)
    principal.require_any(association_write_scopes(pair.from_type, pair.to_type))
    forward, backward = default_types(services, pair, principal.portal_id)
    parsed = [(parse_object_id(i.from_id), parse_object_id(i.to_id)) for i in inputs]
    outcome: BatchOutcome[Association] = BatchOutcome()
    candidates: list[list[Association]] = []
    with services.database.write() as conn:
        live = LiveRecords(conn, principal.portal_id, wanted_ids(pair, parsed))
        for raw, (from_id, to_id) in zip(inputs, parsed, strict=True):
            invalid = []
            if not live.contains(pair.from_type, from_id):
                invalid.append((pair.from_type, raw.from_id))
            if not live.contains(pair.to_type, to_id):
                invalid.append((pair.to_type, raw.to_id))
            if invalid:
                outcome.errors.append(invalid_object_ids_error(invalid))
                continue
            assert from_id is not None
            assert to_id is not None
            candidates.append(
                [
                    row(pair.from_type, from_id, pair.to_type, to_id, forward),
                    row(pair.to_type, to_id, pair.from_type, from_id, backward),
                ]
            )
        rows = admit_within_limits(services, conn, principal.portal_id, candidates, outcome)
        outcome.results = list(rows)
        association_store.insert_associations(conn, principal.portal_id, outcome.results, now_ms())
    return outcome


def create_default_one(
    services: Services,
    principal: Principal,
    from_type_name: str,
    from_id: str,
    to_type_name: str,
    to_id: str,
) -> list[Association]:
    """Both directions of the pair's default association (reference §1.2)."""
    outcome = create_default(
        services,
        principal,
        from_type_name,
        to_type_name,
        [ObjectPair(from_id, to_id)],
    )
    if outcome.errors:
        raise as_request_error(outcome.errors[0])
    return outcome.results
