"""POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/create"""

from __future__ import annotations

from typing import Any

import pytest

from hubgraph.domain.association_types import Category
from hubgraph.services.context import Services
from tests.support.associations_v4 import add_label, add_limit, associated, spec, with_scopes
from tests.support.portals import Portal

URL = "/crm/v4/associations/{}/{}/batch/create"
UNLABELED = ("HUBSPOT_DEFINED", 279, None)


def item(from_id: str, to_id: str, *types: dict[str, Any]) -> dict[str, Any]:
    return {"from": {"id": from_id}, "to": {"id": to_id}, "types": list(types)}


def create(
    portal: Portal, *inputs: dict[str, Any], path: tuple[str, str] = ("contacts", "companies")
) -> Any:
    return portal.post(URL.format(*path), json={"inputs": list(inputs)})


def test_201_with_both_directions_per_input(portal: Portal, services: Services) -> None:
    add_label(services, portal, "0-1", "0-2", 31, "Decision maker", 32, "Decides for")
    contacts = portal.create_records("contacts", 2)
    [company] = portal.create_records("companies", 1)
    response = create(
        portal,
        item(contacts[0], company, spec(31, "USER_DEFINED")),
        item(contacts[1], company, spec(279)),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "COMPLETE"
    assert "errors" not in body
    assert body["results"] == [
        {
            "fromObjectTypeId": "0-1",
            "fromObjectId": int(contacts[0]),
            "toObjectTypeId": "0-2",
            "toObjectId": int(company),
            "labels": ["Decision maker"],
        },
        {
            "fromObjectTypeId": "0-2",
            "fromObjectId": int(company),
            "toObjectTypeId": "0-1",
            "toObjectId": int(contacts[0]),
            "labels": ["Decides for"],
        },
        {
            "fromObjectTypeId": "0-1",
            "fromObjectId": int(contacts[1]),
            "toObjectTypeId": "0-2",
            "toObjectId": int(company),
            "labels": [],
        },
        {
            "fromObjectTypeId": "0-2",
            "fromObjectId": int(company),
            "toObjectTypeId": "0-1",
            "toObjectId": int(contacts[1]),
            "labels": [],
        },
    ]
    assert associated(portal, "companies", company, "contacts") == {
        int(contacts[0]): {("HUBSPOT_DEFINED", 280, None), ("USER_DEFINED", 32, "Decides for")},
        int(contacts[1]): {("HUBSPOT_DEFINED", 280, None)},
    }


def test_207_reports_each_failed_input_and_writes_the_rest(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    response = create(
        portal,
        item(contact, company, spec(931)),
        item(contact, "424242424242", spec(279)),
        item(contact, company, spec(3, "USER_DEFINED")),
        item(contact, company, spec(1, "HUBSPOT_DEFINED"), spec(5)),
    )
    assert response.status_code == 207
    body = response.json()
    assert body["numErrors"] == 3
    assert [e["context"] for e in body["errors"]] == [
        {
            "INVALID_OBJECT_IDS": ["COMPANY=424242424242 is not valid"],
            "objectId": ["424242424242"],
            "objectType": ["COMPANY"],
        },
        {
            "associationSpec": ["USER_DEFINED=3"],
            "INVALID_ASSOCIATION_TYPE_ID": [
                "USER_DEFINED=3 is not a valid association definition id"
            ],
        },
        {
            "INVALID_OBJECT_IDS": [f"DEAL={contact} is not valid"],
            "objectId": [contact],
            "objectType": ["DEAL"],
        },
    ]
    for error in body["errors"]:
        assert error["status"] == "error"
        assert error["category"] == "VALIDATION_ERROR"
        assert error["message"] == "One or more associations are invalid"
    assert [r["labels"] for r in body["results"]] == [["Billing contact"], ["Billing contact"]]
    assert associated(portal, "contacts", contact, "companies") == {
        int(company): {UNLABELED, ("HUBSPOT_DEFINED", 931, "Billing contact")}
    }


def test_207_even_when_every_input_fails(portal: Portal) -> None:
    response = create(portal, item("1", "2", spec(279)))
    assert response.status_code == 207
    assert response.json()["results"] == []
    assert response.json()["numErrors"] == 1


def test_the_types_sent_replace_the_pairs_labels(portal: Portal, services: Services) -> None:
    add_label(services, portal, "0-1", "0-2", 31, "Decision maker")
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    create(portal, item(contact, company, spec(31, "USER_DEFINED"), spec(931)))
    response = create(portal, item(contact, company, spec(931)))
    assert response.status_code == 201
    assert associated(portal, "contacts", contact, "companies") == {
        int(company): {UNLABELED, ("HUBSPOT_DEFINED", 931, "Billing contact")}
    }
    assert associated(portal, "companies", company, "contacts") == {
        int(contact): {("HUBSPOT_DEFINED", 280, None), ("HUBSPOT_DEFINED", 930, "Billing contact")}
    }


def test_a_pair_sent_twice_ends_with_the_later_types(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    response = create(portal, item(contact, company, spec(931)), item(contact, company, spec(1)))
    assert response.status_code == 201
    assert associated(portal, "contacts", contact, "companies") == {
        int(company): {UNLABELED, ("HUBSPOT_DEFINED", 1, "Primary")}
    }


def test_only_the_last_primary_of_a_record_in_a_batch_stays(portal: Portal) -> None:
    [deal] = portal.create_records("deals", 1)
    old, first, last = portal.create_records("companies", 3)
    create(portal, item(deal, old, spec(5)), path=("deals", "companies"))
    response = create(
        portal, item(deal, first, spec(5)), item(deal, last, spec(5)), path=("deals", "companies")
    )
    assert response.status_code == 201
    assert associated(portal, "deals", deal, "companies") == {
        int(old): {("HUBSPOT_DEFINED", 341, None)},
        int(first): {("HUBSPOT_DEFINED", 341, None)},
        int(last): {("HUBSPOT_DEFINED", 341, None), ("HUBSPOT_DEFINED", 5, "Primary")},
    }
    assert associated(portal, "companies", old, "deals") == {
        int(deal): {("HUBSPOT_DEFINED", 342, None)}
    }


def test_inputs_over_a_limit_become_errors(portal: Portal, services: Services) -> None:
    contacts = portal.create_records("contacts", 3)
    [company] = portal.create_records("companies", 1)
    add_limit(services, portal, "0-2", "0-1", Category.HUBSPOT_DEFINED, 930, 2)
    response = create(portal, *[item(c, company, spec(931)) for c in contacts])
    assert response.status_code == 207
    body = response.json()
    assert body["numErrors"] == 1
    assert body["errors"][0]["category"] == "VALIDATION_ERROR"
    assert body["errors"][0]["context"]["limit"] == ["2"]
    got = associated(portal, "companies", company, "contacts")
    assert set(got) == {int(contacts[0]), int(contacts[1])}


def test_2000_inputs_are_accepted_and_2001_refused(portal: Portal) -> None:
    inputs = [item("424242", str(i), spec(279)) for i in range(1, 2002)]
    response = create(portal, *inputs[:2000])
    assert response.status_code == 207
    assert response.json()["numErrors"] == 2000
    response = create(portal, *inputs)
    assert response.status_code == 400
    assert response.json()["message"] == (
        "The maximum number of inputs supported in a batch is 2000. "
        "Please reduce the number of items and try again"
    )


def test_needs_a_write_scope(portal: Portal, services: Services) -> None:
    reader = with_scopes(services, portal, ["crm.objects.contacts.read"])
    assert create(reader, item("1", "2", spec(279))).status_code == 403


@pytest.mark.parametrize("body", [{}, {"inputs": [{"from": {"id": "1"}, "to": {"id": "2"}}]}, []])
def test_malformed_bodies_are_a_400(portal: Portal, body: Any) -> None:
    response = portal.post(URL.format("contacts", "companies"), json=body)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_a_primary_refused_by_a_limit_demotes_nothing(portal: Portal, services: Services) -> None:
    [contact] = portal.create_records("contacts", 1)
    old, new = portal.create_records("companies", 2)
    create(portal, item(contact, old, spec(1)))
    # the new company may have only one contact through the billing type, already used
    [other] = portal.create_records("contacts", 1)
    create(portal, item(other, new, spec(931)))
    add_limit(services, portal, "0-2", "0-1", Category.HUBSPOT_DEFINED, 930, 1)
    response = create(portal, item(contact, new, spec(1), spec(931)))
    assert response.status_code == 207
    assert associated(portal, "contacts", contact, "companies") == {
        int(old): {UNLABELED, ("HUBSPOT_DEFINED", 1, "Primary")}
    }
