"""Value checks and canonical forms on record writes (reference §2.2-2.4)."""

from __future__ import annotations

import json

import pytest

from hubgraph.domain.properties import PropertyDefinition, PropertyOption, default_properties
from hubgraph.domain.property_values import canonical_value, does_not_exist, read_only
from hubgraph.errors import InvalidProperty, PropertyValuesNotValid

CONTACTS = default_properties("0-1")
TICKETS = default_properties("0-5")


def _prop(type_: str, field_type: str, **kw: object) -> PropertyDefinition:
    return PropertyDefinition("p", "P", type_, field_type, "g", **kw)  # type: ignore[arg-type]


def _error(result: str | InvalidProperty) -> InvalidProperty:
    assert isinstance(result, InvalidProperty), result
    return result


@pytest.mark.parametrize(
    ("sent", "stored"),
    [("1000.50", "1000.5"), ("007", "7"), ("-0", "0"), ("12", "12"), (".5", "0.5"), ("1e", None)],
)
def test_numbers_are_stored_without_redundant_zeros(sent: str, stored: str | None) -> None:
    result = canonical_value(_prop("number", "number"), sent)
    if stored is None:
        assert _error(result).code == "INVALID_INTEGER"
    else:
        assert result == stored


def test_a_number_in_e_notation_is_refused_with_hubspots_text() -> None:
    error = _error(canonical_value(_prop("number", "number"), "1.4210854715202004e-14"))
    assert error.code == "INVALID_INTEGER"
    assert error.message == "1.4210854715202004e-14 was not a valid number."
    assert error.value == "1.4210854715202004e-14"


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("2020-02-29T03:30:17.000Z", "2020-02-29T03:30:17.000Z"),
        ("2020-02-29T03:30:17Z", "2020-02-29T03:30:17.000Z"),
        ("2020-02-29T05:30:17.5+02:00", "2020-02-29T03:30:17.500Z"),
        ("1582947017000", "2020-02-29T03:30:17.000Z"),
        ("2020-02-29", "2020-02-29T00:00:00.000Z"),
    ],
)
def test_datetimes_are_stored_as_iso_with_milliseconds(sent: str, stored: str) -> None:
    assert canonical_value(CONTACTS["closedate"], sent) == stored


def test_a_garbage_datetime_is_not_a_valid_long() -> None:
    error = _error(canonical_value(CONTACTS["closedate"], "yesterday"))
    assert (error.code, error.message) == ("INVALID_LONG", "yesterday was not a valid long.")


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        ("1786334400000", "1786334400000 is at 4:0:0.0 UTC, not midnight!"),
        ("1709634030000", "1709634030000 is at 10:20:30.0 UTC, not midnight!"),
        ("1570233600", "1570233600 is at 4:10:33.600 UTC, not midnight!"),
    ],
)
def test_a_date_off_midnight_is_refused_with_hubspots_text(sent: str, message: str) -> None:
    error = _error(canonical_value(CONTACTS["date_of_birth"], sent))
    assert (error.code, error.message) == ("INVALID_DATE", message)


@pytest.mark.parametrize(
    ("sent", "stored"), [("2015-05-01", "2015-05-01"), ("1430438400000", "2015-05-01")]
)
def test_dates_are_stored_as_iso_days(sent: str, stored: str) -> None:
    assert canonical_value(CONTACTS["date_of_birth"], sent) == stored


def test_an_impossible_day_is_refused() -> None:
    assert _error(canonical_value(CONTACTS["date_of_birth"], "2021-02-30")).code == "INVALID_LONG"


def test_enumeration_values_are_option_values_listed_in_the_error() -> None:
    error = _error(canonical_value(TICKETS["hs_ticket_category"], "NAM Only"))
    assert error.code == "INVALID_OPTION"
    assert error.message == (
        "NAM Only was not one of the allowed options: "
        "[PRODUCT_ISSUE, BILLING_ISSUE, FEATURE_REQUEST, GENERAL_INQUIRY]"
    )
    # the label is not the value (reference §2.2)
    assert _error(canonical_value(CONTACTS["lifecyclestage"], "Lead")).code == "INVALID_OPTION"
    assert canonical_value(CONTACTS["lifecyclestage"], "lead") == "lead"


def test_multiple_checkboxes_join_with_semicolons_and_a_leading_one_appends() -> None:
    category = TICKETS["hs_ticket_category"]
    assert canonical_value(category, "BILLING_ISSUE;PRODUCT_ISSUE") == "BILLING_ISSUE;PRODUCT_ISSUE"
    assert canonical_value(category, ";FEATURE_REQUEST", "BILLING_ISSUE") == (
        "BILLING_ISSUE;FEATURE_REQUEST"
    )
    assert canonical_value(category, "FEATURE_REQUEST", "BILLING_ISSUE") == "FEATURE_REQUEST"
    assert _error(canonical_value(category, "BILLING_ISSUE;NOPE")).value == "NOPE"


def test_external_options_are_left_to_their_own_checks() -> None:
    assert canonical_value(CONTACTS["hubspot_owner_id"], "41629779") == "41629779"


@pytest.mark.parametrize(("sent", "stored"), [("true", "true"), ("FALSE", "false")])
def test_booleans(sent: str, stored: str) -> None:
    assert canonical_value(CONTACTS["hs_email_optout"], sent) == stored
    assert _error(canonical_value(CONTACTS["hs_email_optout"], "yes")).code == "INVALID_OPTION"


def test_surrounding_whitespace_is_refused_on_non_string_values_only() -> None:
    error = _error(canonical_value(_prop("number", "number"), " 5"))
    assert (error.code, error.message) == (
        "LEADING_TRAILING_WHITESPACE",
        '" 5" includes leading or trailing whitespace.',
    )
    assert canonical_value(CONTACTS["firstname"], " Ada ") == " Ada "


def test_an_empty_string_clears_any_type() -> None:
    for definition in (
        CONTACTS["closedate"],
        CONTACTS["lifecyclestage"],
        _prop("number", "number"),
    ):
        assert canonical_value(definition, "") == ""


@pytest.mark.parametrize("bad", ["example", "a@b", "a b@example.com", "a@example..com", "@x.com"])
def test_invalid_emails(bad: str) -> None:
    error = _error(canonical_value(CONTACTS["email"], bad))
    assert (error.code, error.message) == ("INVALID_EMAIL", f"Email address {bad} is invalid")


def test_emails_are_stored_in_lower_case() -> None:
    assert canonical_value(CONTACTS["email"], "Ada.Lovelace@Example.COM") == (
        "ada.lovelace@example.com"
    )


def test_custom_options_are_checked_too() -> None:
    definition = _prop("enumeration", "select", options=(PropertyOption("A", "a"),))
    assert canonical_value(definition, "a") == "a"
    assert _error(canonical_value(definition, "A")).message.endswith("[a]")


def test_the_envelope_lists_every_invalid_property() -> None:
    invalid = [does_not_exist("testproperty"), read_only("hs_object_id")]
    error = PropertyValuesNotValid(invalid, 244764782)
    body = error.body("cid")
    assert list(body) == ["status", "message", "correlationId", "errors", "category"]
    prefix = "Property values were not valid: "
    assert body["message"].startswith(prefix)
    assert json.loads(body["message"][len(prefix) :]) == [
        {
            "isValid": False,
            "message": 'Property "testproperty" does not exist',
            "error": "PROPERTY_DOESNT_EXIST",
            "name": "testproperty",
            "localizedErrorMessage": 'Property "testproperty" does not exist',
            "portalId": 244764782,
        },
        {
            "isValid": False,
            "message": '"hs_object_id" is a read only property; its value cannot be set.',
            "error": "READ_ONLY_VALUE",
            "name": "hs_object_id",
            "localizedErrorMessage": (
                '"hs_object_id" is a read only property; its value cannot be set.'
            ),
            "portalId": 244764782,
        },
    ]
    assert body["errors"][0] == {
        "message": 'Property "testproperty" does not exist',
        "code": "PROPERTY_DOESNT_EXIST",
        "context": {"propertyName": ["testproperty"]},
    }
    assert body["category"] == "VALIDATION_ERROR"
    assert error.status_code == 400
