"""The single-pair default PUT: the batch default write for one pair, failing as a whole."""

from __future__ import annotations

from hubgraph.domain.associations import Association
from hubgraph.services import associations
from hubgraph.services.association_labels import as_request_error
from hubgraph.services.context import Services
from hubgraph.services.portals import Principal


def create_default_one(
    services: Services,
    principal: Principal,
    from_type_name: str,
    from_id: str,
    to_type_name: str,
    to_id: str,
) -> list[Association]:
    """Both directions of the pair's default association (reference §1.2)."""
    outcome = associations.create_default(
        services,
        principal,
        from_type_name,
        to_type_name,
        [associations.ObjectPair(from_id, to_id)],
    )
    if outcome.errors:
        raise as_request_error(outcome.errors[0])
    return outcome.results
