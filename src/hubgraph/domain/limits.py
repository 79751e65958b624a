"""Rules for custom association limits (reference §2.2), free of any I/O.

A limit caps how many records one record may be associated to with one directional
type. Between one ordered pair, a labelled type's limit may not exceed the unlabeled
(default) type's limit, since every labelled association also carries the unlabeled type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hubgraph.domain.association_types import AssociationType, Category

MIN_LIMIT = 1

# (category, typeId) of a type of one ordered pair → its custom limit.
PairLimits = Mapping[tuple[Category, int], int]


@dataclass(frozen=True, slots=True)
class LimitRange:
    low: int
    high: int

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.low <= value <= self.high


def allowed_range(
    t: AssociationType, default: AssociationType | None, limits: PairLimits, ceiling: int
) -> LimitRange:
    """The values a limit on ``t`` may take, given the pair's other limits.

    ``default`` is the pair's unlabeled type; ``limits`` the pair's current custom limits.
    """
    if default is not None and (t.category, t.type_id) == (default.category, default.type_id):
        others = [v for k, v in limits.items() if k != (t.category, t.type_id)]
        return LimitRange(max([MIN_LIMIT, *others]), ceiling)
    unlabeled = None if default is None else limits.get((default.category, default.type_id))
    return LimitRange(MIN_LIMIT, ceiling if unlabeled is None else min(ceiling, unlabeled))


@dataclass(frozen=True, slots=True)
class AssociationLimit:
    """A custom cap on one directional type: ``maxToObjectIds`` records per from-record."""

    from_type: str
    to_type: str
    category: Category
    type_id: int
    max_to_object_ids: int
