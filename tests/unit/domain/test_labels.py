"""Pure label rules: names, the types a definition makes, how definitions are counted."""

from __future__ import annotations

import pytest

from hubgraph.domain.association_types import Category
from hubgraph.domain.labels import LabelDefinition, definition_count, name_problem


@pytest.mark.parametrize("name", ["manager", "Manager_2", "billing contact", "x"])
def test_acceptable_names(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize("name", ["", " ", "a-b", "1st", "-x"])
def test_refused_names(name: str) -> None:
    assert name_problem(name) is not None


def test_paired_definition_makes_two_inverse_types() -> None:
    forward, backward = LabelDefinition("0-1", "0-2", "Manager", "Managed").types([7, 8])
    assert (forward.from_type, forward.to_type, forward.label, forward.inverse_type_id) == (
        "0-1",
        "0-2",
        "Manager",
        8,
    )
    assert (backward.from_type, backward.to_type, backward.label, backward.inverse_type_id) == (
        "0-2",
        "0-1",
        "Managed",
        7,
    )
    assert {forward.category, backward.category} == {Category.USER_DEFINED}


def test_single_definitions() -> None:
    cross = LabelDefinition("0-3", "0-1", "Point of contact", None)
    assert cross.type_count == 2
    assert {t.label for t in cross.types([1, 2])} == {"Point of contact"}
    same = LabelDefinition("0-1", "0-1", "Friend", None)
    assert same.type_count == 1
    [friend] = same.types([5])
    assert friend.inverse_type_id == 5
    assert LabelDefinition("0-1", "0-1", "Manager", "Employee").type_count == 2


def test_definitions_are_counted_once_per_create() -> None:
    types = [
        *LabelDefinition("0-1", "0-2", "A", "B").types([1, 2]),
        *LabelDefinition("0-2", "0-1", "C", None).types([3, 4]),
        *LabelDefinition("0-1", "0-1", "D", None).types([5]),
        *LabelDefinition("0-1", "0-1", "E", "F").types([6, 7]),
    ]
    assert definition_count(types, "0-1", "0-2") == 2
    assert definition_count(types, "0-2", "0-1") == 2
    assert definition_count(types, "0-1", "0-1") == 2
    assert definition_count(types, "0-2", "0-2") == 0
