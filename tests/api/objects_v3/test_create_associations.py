"""Creating records with ``associations`` (reference §10.2): one transaction, both directions."""

from __future__ import annotations

from typing import Any

import pytest

from hubgraph.domain.association_types import Category
from hubgraph.services.context import Services
from tests.support.associations_v4 import add_label, add_limit, associated, spec
from tests.support.portals import Portal

UNLABELED = ("HUBSPOT_DEFINED", 279, None)
PRIMARY = ("HUBSPOT_DEFINED", 1, "Primary")


def to(target: Any, *types: dict[str, Any]) -> dict[str, Any]:
    return {"to": {"id": target}, "types": list(types)}


def contacts(portal: Portal) -> Any:
    return portal.get("/crm/v3/objects/contacts?limit=100").json()["results"]


@pytest.mark.parametrize("as_number", [False, True])
def test_create_writes_both_directions_and_the_unlabeled_type(
    portal: Portal, as_number: bool
) -> None:
    [company] = portal.create_records("companies", 1)
    target: Any = int(company) if as_number else company
    response = portal.post(
        "/crm/v3/objects/contacts",
        json={"properties": {"email": "a@example.com"}, "associations": [to(target, spec(1))]},
    )
    assert response.status_code == 201, response.text
    contact = response.json()["id"]
    assert "associations" not in response.json()
    assert associated(portal, "contacts", contact, "companies") == {
        int(company): {UNLABELED, PRIMARY}
    }
    assert associated(portal, "companies", company, "contacts") == {
        int(contact): {("HUBSPOT_DEFINED", 280, None), ("HUBSPOT_DEFINED", 2, "Primary")}
    }


def test_associations_to_several_types_and_user_labels(portal: Portal, services: Services) -> None:
    add_label(services, portal, "0-1", "0-2", 31, "Decision maker", 32, "Decides for")
    [company] = portal.create_records("companies", 1)
    [deal] = portal.create_records("deals", 1)
    response = portal.post(
        "/crm/v3/objects/contacts",
        json={
            "properties": {},
            "associations": [
                to(company, spec(31, "USER_DEFINED")),
                to(company, spec(279)),
                to(deal, spec(4)),
            ],
        },
    )
    assert response.status_code == 201, response.text
    contact = response.json()["id"]
    assert associated(portal, "contacts", contact, "companies") == {
        int(company): {UNLABELED, ("USER_DEFINED", 31, "Decision maker")}
    }
    assert associated(portal, "deals", deal, "contacts") == {
        int(contact): {("HUBSPOT_DEFINED", 3, None)}
    }


def test_missing_target_fails_the_whole_create(portal: Portal) -> None:
    [company] = portal.create_records("companies", 1)
    response = portal.post(
        "/crm/v3/objects/contacts",
        json={"properties": {}, "associations": [to(company, spec(279)), to("999999", spec(279))]},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "One or more associations are invalid"
    assert body["category"] == "VALIDATION_ERROR"
    assert body["context"] == {
        "INVALID_OBJECT_IDS": ["COMPANY=999999 is not valid"],
        "objectId": ["999999"],
        "objectType": ["COMPANY"],
    }
    assert contacts(portal) == []
    assert associated(portal, "companies", company, "contacts") == {}


def test_unknown_type_fails_with_hubspots_context(portal: Portal) -> None:
    [company] = portal.create_records("companies", 1)
    response = portal.post(
        "/crm/v3/objects/contacts",
        json={"properties": {}, "associations": [to(company, spec(3, "USER_DEFINED"))]},
    )
    assert response.status_code == 400
    assert response.json()["context"] == {
        "associationSpec": ["USER_DEFINED=3"],
        "INVALID_ASSOCIATION_TYPE_ID": ["USER_DEFINED=3 is not a valid association definition id"],
    }
    assert contacts(portal) == []


def test_type_of_the_wrong_direction_names_the_new_record(portal: Portal) -> None:
    """280 is company→contact: the new deal is reported as the type's COMPANY (§1.3 quirk)."""
    [contact] = portal.create_records("contacts", 1)
    response = portal.post(
        "/crm/v3/objects/deals", json={"properties": {}, "associations": [to(contact, spec(280))]}
    )
    assert response.status_code == 400
    context = response.json()["context"]
    assert context["objectType"] == ["COMPANY"]
    [new_id] = context["objectId"]
    assert new_id.isdigit()
    assert new_id != contact
    assert context["INVALID_OBJECT_IDS"] == [f"COMPANY={new_id} is not valid"]
    assert portal.get("/crm/v3/objects/deals").json()["results"] == []


def test_archived_target_is_invalid(portal: Portal) -> None:
    [company] = portal.create_records("companies", 1)
    portal.delete(f"/crm/v3/objects/companies/{company}")
    response = portal.post(
        "/crm/v3/objects/contacts", json={"properties": {}, "associations": [to(company, spec(1))]}
    )
    assert response.status_code == 400
    assert response.json()["context"]["INVALID_OBJECT_IDS"] == [f"COMPANY={company} is not valid"]


def test_empty_types_is_invalid(portal: Portal) -> None:
    [company] = portal.create_records("companies", 1)
    response = portal.post(
        "/crm/v3/objects/contacts", json={"properties": {}, "associations": [to(company)]}
    )
    assert response.status_code == 400
    assert response.json()["message"] == "One or more associations are invalid"
    assert contacts(portal) == []


def test_new_primary_demotes_the_targets_previous_one(portal: Portal) -> None:
    """Creating a company as a contact's primary (2) demotes the contact's old primary."""
    [contact] = portal.create_records("contacts", 1)
    old = portal.post(
        "/crm/v3/objects/companies", json={"properties": {}, "associations": [to(contact, spec(2))]}
    ).json()["id"]
    new = portal.post(
        "/crm/v3/objects/companies", json={"properties": {}, "associations": [to(contact, spec(2))]}
    ).json()["id"]
    assert associated(portal, "contacts", contact, "companies") == {
        int(old): {UNLABELED},
        int(new): {UNLABELED, PRIMARY},
    }


def test_a_limit_fails_the_whole_create(portal: Portal, services: Services) -> None:
    add_limit(services, portal, "0-2", "0-1", Category.HUBSPOT_DEFINED, 280, 1)
    [company] = portal.create_records("companies", 1)
    first = portal.post(
        "/crm/v3/objects/contacts",
        json={"properties": {}, "associations": [to(company, spec(279))]},
    )
    assert first.status_code == 201
    second = portal.post(
        "/crm/v3/objects/contacts",
        json={"properties": {}, "associations": [to(company, spec(279))]},
    )
    assert second.status_code == 400
    assert second.json()["category"] == "VALIDATION_ERROR"
    assert [c["id"] for c in contacts(portal)] == [first.json()["id"]]


BATCH = "/crm/v3/objects/contacts/batch/create"


def test_batch_create_with_associations_is_all_or_nothing(portal: Portal) -> None:
    companies = portal.create_records("companies", 2)
    inputs = [
        {"properties": {"firstname": str(i)}, "associations": [to(c, spec(279))]}
        for i, c in enumerate(companies)
    ]
    ok = portal.post(BATCH, json={"inputs": inputs})
    assert ok.status_code == 201, ok.text
    created = [r["id"] for r in ok.json()["results"]]
    for contact, company in zip(created, companies, strict=True):
        assert associated(portal, "contacts", contact, "companies") == {int(company): {UNLABELED}}
    bad = portal.post(BATCH, json={"inputs": [*inputs, {"associations": [to("1", spec(279))]}]})
    assert bad.status_code == 400
    assert bad.json()["context"]["INVALID_OBJECT_IDS"] == ["COMPANY=1 is not valid"]
    assert sorted(c["id"] for c in contacts(portal)) == sorted(created)


def test_batch_create_with_trace_ids_reports_failed_inputs_207(portal: Portal) -> None:
    [company] = portal.create_records("companies", 1)
    inputs = [
        {
            "properties": {"firstname": "ok"},
            "associations": [to(company, spec(1))],
            "objectWriteTraceId": "a",
        },
        {
            "properties": {"firstname": "bad"},
            "associations": [to("1", spec(1))],
            "objectWriteTraceId": "b",
        },
    ]
    response = portal.post(BATCH, json={"inputs": inputs})
    assert response.status_code == 207, response.text
    body = response.json()
    assert [r["properties"]["firstname"] for r in body["results"]] == ["ok"]
    assert body["numErrors"] == 1
    error = body["errors"][0]
    assert error["message"] == "One or more associations are invalid"
    assert error["context"]["objectWriteTraceId"] == ["b"]
    assert error["context"]["INVALID_OBJECT_IDS"] == ["COMPANY=1 is not valid"]
    assert [c["properties"]["firstname"] for c in contacts(portal)] == ["ok"]
    assert set(associated(portal, "companies", company, "contacts")) == {
        int(body["results"][0]["id"])
    }


def test_an_untraced_bad_input_fails_a_traced_batch(portal: Portal) -> None:
    inputs = [
        {"properties": {}, "objectWriteTraceId": "a"},
        {"properties": {}, "associations": [to("1", spec(1))]},
    ]
    assert portal.post(BATCH, json={"inputs": inputs}).status_code == 400
    assert contacts(portal) == []


def test_batch_of_100_with_associations_is_set_based(portal: Portal) -> None:
    companies = portal.create_records("companies", 100)
    inputs = [{"associations": [to(c, spec(279)), to(c, spec(1))]} for c in companies]
    response = portal.post(BATCH, json={"inputs": inputs})
    assert response.status_code == 201
    listed = portal.get("/crm/v3/objects/contacts?limit=100&associations=companies").json()[
        "results"
    ]
    assert len(listed) == 100
    assert all(len(c["associations"]["companies"]["results"]) == 2 for c in listed)
