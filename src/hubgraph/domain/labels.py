"""Rules for USER_DEFINED association labels (reference §2.1), free of any I/O.

A label *definition* is what one ``POST …/labels`` creates:

- paired (``inverseLabel`` given): two typeIds, one per direction, each the other's inverse;
- single, between different object types: two typeIds with the same label;
- single, on a same-object pair: one symmetric typeId (its own inverse).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hubgraph.domain.association_types import AssociationType, Category


def name_problem(name: str) -> str | None:
    """Why HubSpot would refuse this internal name, or None when it is acceptable."""
    if not name.strip():
        return "name must not be empty"
    if "-" in name:
        return "name must not contain hyphens"
    if name[0].isdigit():
        return "name must not start with a digit"
    return None


@dataclass(frozen=True, slots=True)
class LabelDefinition:
    """The types one create call adds, before they have typeIds."""

    from_type: str
    to_type: str
    label: str
    inverse_label: str | None

    @property
    def type_count(self) -> int:
        symmetric = self.from_type == self.to_type and self.inverse_label is None
        return 1 if symmetric else 2

    def types(self, type_ids: list[int]) -> list[AssociationType]:
        """The definition's types; the first id is from→to, the second its inverse."""
        if self.type_count == 1:
            [only] = type_ids
            return [self._type(only, self.from_type, self.to_type, self.label, only)]
        forward, backward = type_ids
        back_label = self.inverse_label if self.inverse_label is not None else self.label
        return [
            self._type(forward, self.from_type, self.to_type, self.label, backward),
            self._type(backward, self.to_type, self.from_type, back_label, forward),
        ]

    @staticmethod
    def _type(
        type_id: int, from_type: str, to_type: str, label: str, inverse: int
    ) -> AssociationType:
        return AssociationType(Category.USER_DEFINED, type_id, from_type, to_type, label, inverse)


def between(t: AssociationType, a: str, b: str) -> bool:
    """Whether a type joins object types a and b, in either direction."""
    return {t.from_type, t.to_type} == {a, b}


def definition_count(user_types: Iterable[AssociationType], a: str, b: str) -> int:
    """How many label definitions join a and b: a type and its inverse count once."""
    return len({frozenset((t.type_id, t.inverse_type_id)) for t in user_types if between(t, a, b)})
