"""Primary associations: a record has at most one primary company (reference §4.2).

Each HubSpot-defined primary type points from the record that *has* a primary (a contact,
deal, ticket or order; a lead, for its primary deal) to the record that *is* the primary
(a company; a deal for leads). Its inverse points the other way.
"""

from __future__ import annotations

from hubgraph.domain.association_types import AssociationType

COMPANY = "0-2"
DEAL = "0-3"


def holder_is_from(t: AssociationType) -> bool:
    """Whether the primary type ``t`` points from the holder to its primary."""
    if COMPANY in (t.from_type, t.to_type):
        return t.to_type == COMPANY
    return t.to_type == DEAL
