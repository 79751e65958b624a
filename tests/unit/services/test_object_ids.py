"""A column of ids parses exactly as each id on its own, plain or not."""

from __future__ import annotations

import pytest

from hubgraph.services.ids import parse_object_id, parse_object_ids

COLUMNS = [
    ["1", "42", "123456789012345678"],  # plain: the one-match path
    ["1", "007"],  # a leading zero
    ["1", "9223372036854775807", "9223372036854775808"],  # 19 digits, the limit and past it
    ["1", "0", "00"],
    ["1,2", "3"],  # a comma inside an id
    ["1", ""],
    ["", "1"],
    ["1", "١٢"],  # Arabic-Indic digits
    ["1", " 2", "3 ", "-4", "+5", "6.0"],
    [],
]


@pytest.mark.parametrize("raws", COLUMNS)
def test_a_column_parses_as_each_id_does(raws: list[str]) -> None:
    assert parse_object_ids(raws) == [parse_object_id(r) for r in raws]
