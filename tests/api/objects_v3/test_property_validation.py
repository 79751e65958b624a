"""Record writes are checked against the type's properties (reference §2.1-2.5)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.portals import Portal

PREFIX = "Property values were not valid: "


def _entries(body: dict[str, Any]) -> list[dict[str, Any]]:
    assert body["category"] == "VALIDATION_ERROR"
    assert body["message"].startswith(PREFIX)
    entries: list[dict[str, Any]] = json.loads(body["message"][len(PREFIX) :])
    return entries


def _create(portal: Portal, object_type: str, properties: dict[str, Any]) -> Any:
    return portal.post(f"/crm/v3/objects/{object_type}", json={"properties": properties})


def test_an_unknown_property_is_refused_with_hubspots_body(portal: Portal) -> None:
    response = _create(portal, "companies", {"name": "Acme", "testproperty": "x"})
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["status", "message", "correlationId", "errors", "category"]
    assert _entries(body) == [
        {
            "isValid": False,
            "message": 'Property "testproperty" does not exist',
            "error": "PROPERTY_DOESNT_EXIST",
            "name": "testproperty",
            "localizedErrorMessage": 'Property "testproperty" does not exist',
            "portalId": portal.id,
        }
    ]
    assert body["errors"] == [
        {
            "message": 'Property "testproperty" does not exist',
            "code": "PROPERTY_DOESNT_EXIST",
            "context": {"propertyName": ["testproperty"]},
        }
    ]
    assert portal.get("/crm/v3/objects/companies").json()["results"] == []


@pytest.mark.parametrize(
    ("object_type", "properties", "code", "message"),
    [
        (
            "contacts",
            {"hs_object_id": "5"},
            "READ_ONLY_VALUE",
            '"hs_object_id" is a read only property; its value cannot be set.',
        ),
        (
            "tickets",
            {"hs_ticket_category": "NAM Only"},
            "INVALID_OPTION",
            "NAM Only was not one of the allowed options: "
            "[PRODUCT_ISSUE, BILLING_ISSUE, FEATURE_REQUEST, GENERAL_INQUIRY]",
        ),
        ("deals", {"amount": "12,5"}, "INVALID_INTEGER", "12,5 was not a valid number."),
        (
            "contacts",
            {"date_of_birth": "1786334400000"},
            "INVALID_DATE",
            "1786334400000 is at 4:0:0.0 UTC, not midnight!",
        ),
        ("deals", {"closedate": "next week"}, "INVALID_LONG", "next week was not a valid long."),
        ("contacts", {"email": "example"}, "INVALID_EMAIL", "Email address example is invalid"),
        (
            "deals",
            {"amount": " 5"},
            "LEADING_TRAILING_WHITESPACE",
            '" 5" includes leading or trailing whitespace.',
        ),
    ],
)
def test_each_error_code(
    portal: Portal, object_type: str, properties: dict[str, str], code: str, message: str
) -> None:
    response = _create(portal, object_type, properties)
    assert response.status_code == 400
    [entry] = _entries(response.json())
    assert entry["error"] == code
    assert entry["message"] == message
    assert response.json()["errors"][0]["code"] == code


def test_every_invalid_property_is_listed(portal: Portal) -> None:
    response = _create(portal, "deals", {"prop2": "a", "amount": "x", "prop1": "b"})
    assert [(e["name"], e["error"]) for e in _entries(response.json())] == [
        ("prop2", "PROPERTY_DOESNT_EXIST"),
        ("amount", "INVALID_INTEGER"),
        ("prop1", "PROPERTY_DOESNT_EXIST"),
    ]


def test_values_are_stored_and_returned_in_canonical_form(portal: Portal) -> None:
    created = _create(
        portal,
        "deals",
        {"amount": "1000.50", "closedate": "1582947017000", "dealname": " spaced "},
    ).json()
    assert created["properties"]["amount"] == "1000.5"
    assert created["properties"]["closedate"] == "2020-02-29T03:30:17.000Z"
    assert created["properties"]["dealname"] == " spaced "
    again = portal.get(f"/crm/v3/objects/deals/{created['id']}").json()
    assert again["properties"]["amount"] == "1000.5"
    ticket = _create(
        portal, "tickets", {"hs_ticket_category": "BILLING_ISSUE", "subject": "s"}
    ).json()
    patched = portal.request(
        "PATCH",
        f"/crm/v3/objects/tickets/{ticket['id']}",
        json={"properties": {"hs_ticket_category": ";FEATURE_REQUEST"}},
    )
    assert patched.json()["properties"]["hs_ticket_category"] == "BILLING_ISSUE;FEATURE_REQUEST"


def test_custom_properties_are_writable_and_checked(portal: Portal) -> None:
    definition = {
        "name": "tier",
        "label": "Tier",
        "type": "number",
        "fieldType": "number",
        "groupName": "companyinformation",
    }
    assert portal.post("/crm/v3/properties/companies", json=definition).status_code == 201
    assert _create(portal, "companies", {"tier": "3"}).status_code == 201
    assert _create(portal, "companies", {"tier": "gold"}).status_code == 400
    portal.delete("/crm/v3/properties/companies/tier")
    gone = _create(portal, "companies", {"tier": "3"})
    assert _entries(gone.json())[0]["error"] == "PROPERTY_DOESNT_EXIST"


def test_patch_is_checked_and_an_empty_patch_is_400(portal: Portal) -> None:
    [a] = portal.create_records("deals", 1)
    bad = portal.request(
        "PATCH", f"/crm/v3/objects/deals/{a}", json={"properties": {"amount": "lots"}}
    )
    assert bad.status_code == 400
    assert _entries(bad.json())[0]["error"] == "INVALID_INTEGER"
    empty = portal.request("PATCH", f"/crm/v3/objects/deals/{a}", json={"properties": {}})
    assert empty.status_code == 400
    assert empty.json()["message"] == (
        "No properties found to update, please provide at least one."
    )


def test_a_batch_create_fails_as_a_whole_without_trace_ids(portal: Portal) -> None:
    inputs = [{"properties": {"dealname": "ok"}}, {"properties": {"amount": "x"}}]
    response = portal.post("/crm/v3/objects/deals/batch/create", json={"inputs": inputs})
    assert response.status_code == 400
    assert portal.get("/crm/v3/objects/deals").json()["results"] == []


def test_a_traced_invalid_input_fails_alone(portal: Portal) -> None:
    inputs = [
        {"properties": {"dealname": "ok"}, "objectWriteTraceId": "t1"},
        {"properties": {"amount": "x"}, "objectWriteTraceId": "t2"},
    ]
    response = portal.post("/crm/v3/objects/deals/batch/create", json={"inputs": inputs})
    assert response.status_code == 207
    body = response.json()
    assert [r["properties"]["dealname"] for r in body["results"]] == ["ok"]
    [error] = body["errors"]
    assert error["category"] == "VALIDATION_ERROR"
    assert error["message"].startswith(PREFIX)
    assert error["context"] == {"objectWriteTraceId": ["t2"]}


def test_a_batch_update_with_an_invalid_value_writes_nothing(portal: Portal) -> None:
    a, b = portal.create_records("deals", 2)
    inputs = [
        {"id": a, "properties": {"dealname": "changed"}},
        {"id": b, "properties": {"amount": "x"}},
    ]
    response = portal.post("/crm/v3/objects/deals/batch/update", json={"inputs": inputs})
    assert response.status_code == 400
    assert portal.get(f"/crm/v3/objects/deals/{a}").json()["properties"]["dealname"] == "deals-0"


def test_create_with_associations_and_an_invalid_value_writes_nothing(portal: Portal) -> None:
    [company] = portal.create_records("companies", 1)
    body = {
        "properties": {"email": "not-an-email"},
        "associations": [
            {
                "to": {"id": company},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279}],
            }
        ],
    }
    response = portal.post("/crm/v3/objects/contacts", json=body)
    assert response.status_code == 400
    assert portal.get("/crm/v3/objects/contacts").json()["results"] == []
    links = portal.get(f"/crm/v4/objects/companies/{company}/associations/contacts").json()
    assert links["results"] == []
