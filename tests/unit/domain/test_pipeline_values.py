"""Pipeline, stage and owner values on record writes, and HubSpot's error envelope."""

from __future__ import annotations

import orjson

from hubgraph.domain.pipeline_values import (
    PipelineOptions,
    check_owner,
    check_pipeline,
    property_values_error,
)

DEALS = PipelineOptions({"default": ("appointmentscheduled", "closedwon"), "77": ("s1",)})


def test_a_write_without_pipeline_or_stage_is_not_checked() -> None:
    assert check_pipeline("0-3", DEALS, {"dealname": "x"}, None) == []


def test_a_stage_of_another_pipeline_is_refused_with_the_pipeline_stages() -> None:
    (error,) = check_pipeline("0-3", DEALS, {"pipeline": "default", "dealstage": "s1"}, None)
    assert (error.name, error.code) == ("dealstage", "INVALID_OPTION")
    assert error.message == (
        "s1 is not a valid pipeline stage ID. Valid options are: "
        "pipelineId=default : [appointmentscheduled, closedwon]"
    )


def test_the_stage_alone_names_its_pipeline_on_create() -> None:
    assert check_pipeline("0-3", DEALS, {"dealstage": "s1"}, None) == []


def test_an_update_is_checked_against_the_records_pipeline() -> None:
    current = {"pipeline": "77", "dealstage": "s1"}
    (error,) = check_pipeline("0-3", DEALS, {"dealstage": "closedwon"}, current)
    assert error.name == "dealstage"
    (moved,) = check_pipeline("0-3", DEALS, {"pipeline": "default"}, current)
    assert moved.name == "dealstage"


def test_an_unknown_pipeline() -> None:
    (error,) = check_pipeline("0-5", DEALS, {"hs_pipeline": "9", "hs_pipeline_stage": "1"}, None)
    assert error.name == "hs_pipeline"
    assert error.message == "9 was not one of the allowed options: [default, 77]"


def test_owner_ids() -> None:
    assert check_owner("", {5}) == []
    assert check_owner("5", {5}) == []
    (not_a_number,) = check_owner("29947847357121", {5})
    assert not_a_number.code == "INVALID_INTEGER"
    assert not_a_number.message == "29947847357121 was not a valid integer (for owner ID)."
    (unknown,) = check_owner("6", {5})
    assert unknown.code == "INVALID_OPTION"


def test_envelope() -> None:
    error = property_values_error(10_000_001, check_owner("6", {5}))
    prefix = "Property values were not valid: "
    assert error.message.startswith(prefix)
    (entry,) = orjson.loads(error.message[len(prefix) :])
    assert entry == {
        "isValid": False,
        "message": "6 was not one of the allowed options: [5]",
        "error": "INVALID_OPTION",
        "name": "hubspot_owner_id",
        "localizedErrorMessage": "6 was not one of the allowed options: [5]",
        "portalId": 10_000_001,
    }
    assert error.errors == [
        {
            "message": "6 was not one of the allowed options: [5]",
            "code": "INVALID_OPTION",
            "context": {"propertyName": ["hubspot_owner_id"]},
        }
    ]
