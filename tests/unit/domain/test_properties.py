"""HubSpot's default properties and the type/fieldType table (reference §1.4-1.7)."""

from __future__ import annotations

import pytest

from hubgraph.domain.object_types import standard_object_types
from hubgraph.domain.properties import (
    FIELD_TYPES,
    VALID_FIELD_TYPES,
    default_catalogue,
    default_properties,
    definition_from_dict,
    definition_to_dict,
    field_type_problem,
    property_type,
)


def test_every_standard_object_type_has_defaults_and_a_group() -> None:
    for object_type in standard_object_types():
        catalogue = default_catalogue(object_type.id)
        assert catalogue.groups, object_type.id
        assert {"hs_object_id", "hs_createdate", "hs_lastmodifieddate"} <= set(
            catalogue.properties
        ), object_type.id
        groups = {g.name for g in catalogue.groups}
        for definition in catalogue.properties.values():
            assert definition.group_name in groups
            assert field_type_problem(definition.type, definition.field_type) is None, definition


def test_contacts_carry_both_last_modified_dates_and_a_unique_email() -> None:
    contacts = default_properties("0-1")
    assert contacts["lastmodifieddate"].read_only_value
    assert contacts["hs_lastmodifieddate"].read_only_value
    assert contacts["email"].has_unique_value
    assert contacts["hs_object_id"].type == "number"  # a number, read as a string (§7.8)
    assert [o.value for o in contacts["lifecyclestage"].options] == [
        "subscriber",
        "lead",
        "marketingqualifiedlead",
        "salesqualifiedlead",
        "opportunity",
        "customer",
        "evangelist",
        "other",
    ]


def test_property_type_answers_for_defaults_only() -> None:
    assert property_type("0-1", "hs_lastmodifieddate") == "datetime"
    assert property_type("0-2", "industry") == "enumeration"
    assert property_type("0-3", "amount") == "number"
    assert property_type("0-1", "no_such_property") is None
    assert property_type("2-123", "name") is None


@pytest.mark.parametrize(
    ("type_", "field", "ok"),
    [
        ("bool", "booleancheckbox", True),
        ("bool", "text", False),
        ("enumeration", "checkbox", True),
        ("enumeration", "text", False),
        ("date", "date", True),
        ("datetime", "number", False),
        ("string", "textarea", True),
        ("string", "select", False),
        ("number", "calculation_equation", True),
        ("number", "radio", False),
        ("phone_number", "phonenumber", True),
        ("json", "text", False),
    ],
)
def test_type_and_field_type_pairs(type_: str, field: str, ok: bool) -> None:
    assert (field_type_problem(type_, field) is None) is ok


def test_the_table_only_names_field_types_the_spec_knows() -> None:
    for allowed in VALID_FIELD_TYPES.values():
        assert allowed <= set(FIELD_TYPES)


def test_a_definition_survives_the_store_round_trip() -> None:
    definition = default_properties("0-5")["hs_ticket_category"]
    assert definition_from_dict(definition_to_dict(definition)) == definition


def test_system_properties_are_derived_from_the_row() -> None:
    from hubgraph.domain.property_values import iso_ms
    from hubgraph.domain.system_properties import always_returned, derived_value

    assert "lastmodifieddate" in always_returned("0-1")
    assert "lastmodifieddate" not in always_returned("0-2")
    assert derived_value("0-1", "lastmodifieddate", 7, 1000, 2000, iso_ms) == (
        "1970-01-01T00:00:02.000Z"
    )
    assert derived_value("0-1", "hs_object_id", 7, 1000, 2000, iso_ms) == "7"
    assert derived_value("0-2", "lastmodifieddate", 7, 1000, 2000, iso_ms) is None
    assert derived_value("0-2", "hs_createdate", 7, 1000, 2000, iso_ms) == (
        "1970-01-01T00:00:01.000Z"
    )
