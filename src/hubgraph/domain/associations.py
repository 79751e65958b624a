"""An association as stored and returned: one direction between two records."""

from __future__ import annotations

from dataclasses import dataclass

from hubgraph.domain.association_types import Category


@dataclass(frozen=True, slots=True)
class Association:
    """One direction of an association; its inverse is stored beside it."""

    from_type: str
    from_id: int
    to_type: str
    to_id: int
    category: Category
    type_id: int
