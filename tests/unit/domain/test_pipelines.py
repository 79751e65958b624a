"""Default pipelines, the object types that have pipelines, and stage metadata rules."""

from __future__ import annotations

import pytest

from hubgraph.domain.pipelines import (
    default_pipelines,
    has_pipelines,
    record_properties,
    stage_metadata,
)
from hubgraph.errors import ValidationError


def test_deals_start_with_the_sales_pipeline() -> None:
    (sales,) = default_pipelines("0-3")
    assert (sales.id, sales.label) == ("default", "Sales Pipeline")
    assert [s.id for s in sales.stages] == [
        "appointmentscheduled",
        "qualifiedtobuy",
        "presentationscheduled",
        "decisionmakerboughtin",
        "contractsent",
        "closedwon",
        "closedlost",
    ]
    assert sales.stages[5].metadata == {"isClosed": "true", "probability": "1.0"}


def test_tickets_start_with_the_support_pipeline() -> None:
    (support,) = default_pipelines("0-5")
    assert (support.id, support.label) == ("0", "Support Pipeline")
    assert [(s.id, s.label) for s in support.stages] == [
        ("1", "New"),
        ("2", "Waiting on contact"),
        ("3", "Waiting on us"),
        ("4", "Closed"),
    ]
    assert support.stages[3].metadata["ticketState"] == "CLOSED"


@pytest.mark.parametrize(
    ("type_id", "expected"),
    [("0-3", True), ("0-5", True), ("0-136", True), ("2-7301", True), ("0-1", False)],
)
def test_which_types_have_pipelines(type_id: str, expected: bool) -> None:
    assert has_pipelines(type_id) is expected


def test_record_properties() -> None:
    assert record_properties("0-3").stage == "dealstage"
    assert record_properties("0-5").pipeline == "hs_pipeline"


def test_deal_stage_needs_a_probability_in_range() -> None:
    assert stage_metadata("0-3", {"probability": "0.5"}) == {
        "probability": "0.5",
        "isClosed": "false",
    }
    assert stage_metadata("0-3", {"probability": "0.0"})["isClosed"] == "true"
    for bad in ({}, {"probability": "x"}, {"probability": "1.5"}):
        with pytest.raises(ValidationError):
            stage_metadata("0-3", bad)


def test_ticket_state_defaults_to_open() -> None:
    assert stage_metadata("0-5", {}) == {"ticketState": "OPEN", "isClosed": "false"}
    assert stage_metadata("0-5", {"ticketState": "CLOSED"})["isClosed"] == "true"
    with pytest.raises(ValidationError):
        stage_metadata("0-5", {"ticketState": "DONE"})
