"""The default batch's shortcut takes a parsed body only when validation would return the
same ids; every other body goes to validation (and so gets its errors)."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from hubgraph.api.associations_v4.models import (
    BATCH_INPUT_DEFAULT,
    default_input_ids,
    plain_default_batch,
)

TAKEN: list[Any] = [
    {"inputs": []},
    {"inputs": [{"from": {"id": "1"}, "to": {"id": "2"}}]},
    {"inputs": [{"to": {"id": "2"}, "from": {"id": "x", "extra": 1}, "more": []}], "z": 1},
]
REFUSED: list[Any] = [
    None,
    [],
    "inputs",
    {},
    {"inputs": {}},
    {"inputs": ""},
    {"inputs": [[]]},
    {"inputs": ["from"]},
    {"inputs": [{"from": {"id": "1"}}]},
    {"inputs": [{"from": {"id": "1"}, "to": {}}]},
    {"inputs": [{"from": {"id": "1"}, "to": []}]},
    {"inputs": [{"from": {"id": "1"}, "to": "2"}]},
    {"inputs": [{"from": {"id": 1}, "to": {"id": "2"}}]},  # validation makes it "1"
    {"inputs": [{"from": {"id": "1"}, "to": {"id": None}}]},
]


@pytest.mark.parametrize("body", TAKEN)
def test_a_plain_body_is_taken_with_the_ids_validation_returns(body: Any) -> None:
    taken = plain_default_batch(body)
    assert taken is not None
    validated = BATCH_INPUT_DEFAULT.validate_json(orjson.dumps(body))
    assert default_input_ids(taken["inputs"]) == default_input_ids(validated["inputs"])


@pytest.mark.parametrize("body", REFUSED)
def test_anything_else_goes_to_validation(body: Any) -> None:
    assert plain_default_batch(body) is None
