"""An association as stored and returned: one direction between two records."""

from __future__ import annotations

from typing import NamedTuple

from hubgraph.domain.association_types import Category


class Association(NamedTuple):
    """One direction of an association; its inverse is stored beside it.

    A NamedTuple rather than a frozen dataclass: reads build one per stored row (500 for a
    GET page, up to 500,000 for a batch read), and a tuple is several times cheaper to make.
    """

    from_type: str
    from_id: int
    to_type: str
    to_id: int
    category: Category
    type_id: int
