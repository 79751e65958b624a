"""Which typeIds a portal's own labels (USER_DEFINED) may get.

HubSpot hands them out from one sequence per account, small integers, two consecutive
ids for a label's two directions (reference §2: 35/36, 144/145). Its ids may equal a
HUBSPOT_DEFINED id of another object pair (USER_DEFINED 28 vs ticket→deal 28), but a
portal's first label never gets 1, HubSpot's "Primary": code that keys on typeId alone
would mix them up. hubgraph therefore skips every typeId HubSpot defines, on any pair,
so a typeId names one type in a portal whatever the category.
"""

from __future__ import annotations

from functools import cache

from hubgraph.domain.association_types import hubspot_defined_types


@cache
def reserved_type_ids() -> frozenset[int]:
    """Every typeId HubSpot defines (both directions of every pair)."""
    return frozenset(t.type_id for t in hubspot_defined_types())


def next_free_run(start: int, count: int) -> list[int]:
    """The first ``count`` consecutive typeIds from ``start`` on that HubSpot does not use."""
    reserved = reserved_type_ids()
    first = start
    while any(first + i in reserved for i in range(count)):
        first += 1
    return list(range(first, first + count))
