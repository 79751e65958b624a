"""GET /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pytest

from hubgraph.services.context import Services
from tests.support.associations_v4 import add_label, associate_many, put_labels, spec, with_scopes
from tests.support.portals import Portal

URL = "/crm/v4/objects/{}/{}/associations/{}"


def get(portal: Portal, record: str, **params: Any) -> Any:
    return portal.get(URL.format("contacts", record, "companies"), params=params)


def test_one_entry_per_record_with_all_its_types(portal: Portal, services: Services) -> None:
    add_label(services, portal, "0-1", "0-2", 31, "Decision maker")
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    put_labels(
        portal, "contacts", contact, "companies", company, [spec(1), spec(31, "USER_DEFINED")]
    )
    response = get(portal, contact)
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "toObjectId": int(company),
                "associationTypes": [
                    {"category": "HUBSPOT_DEFINED", "typeId": 279, "label": None},
                    {"category": "HUBSPOT_DEFINED", "typeId": 1, "label": "Primary"},
                    {"category": "USER_DEFINED", "typeId": 31, "label": "Decision maker"},
                ],
            }
        ]
    }


def test_pages_through_three_pages_in_ascending_order(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    companies = portal.create_records("companies", 5)
    associate_many(portal, contact, list(reversed(companies)))
    seen: list[int] = []
    pages = 0
    after = None
    while True:
        body = get(portal, contact, limit=2, **({"after": after} if after else {})).json()
        pages += 1
        seen += [r["toObjectId"] for r in body["results"]]
        if "paging" not in body:
            break
        assert len(body["results"]) == 2
        after = body["paging"]["next"]["after"]
    assert pages == 3
    assert seen == sorted(int(c) for c in companies)


@pytest.mark.parametrize("form", ["as sent", "decoded", "encoded again"])
def test_the_cursor_is_accepted_percent_encoded_or_not(portal: Portal, form: str) -> None:
    [contact] = portal.create_records("contacts", 1)
    companies = portal.create_records("companies", 3)
    associate_many(portal, contact, companies)
    after = get(portal, contact, limit=1).json()["paging"]["next"]["after"]
    sent = {"as sent": after, "decoded": unquote(after), "encoded again": after.replace("%", "%25")}
    body = get(portal, contact, limit=1, after=sent[form]).json()
    assert [r["toObjectId"] for r in body["results"]] == [int(companies[1])]


def test_limit_defaults_to_and_is_capped_at_500(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    companies = portal.create_records("companies", 501)
    associate_many(portal, contact, companies)
    for params in ({}, {"limit": 1000}):
        body = get(portal, contact, **params).json()
        assert len(body["results"]) == 500
        assert "after" in body["paging"]["next"]
    last = get(portal, contact, after=body["paging"]["next"]["after"]).json()
    assert [r["toObjectId"] for r in last["results"]] == [int(companies[-1])]
    assert "paging" not in last


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": "x"}, {"after": "not-a-cursor"}])
def test_bad_paging_parameters_are_a_400(portal: Portal, params: dict[str, Any]) -> None:
    [contact] = portal.create_records("contacts", 1)
    response = get(portal, contact, **params)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


@pytest.mark.parametrize("record", ["424242424242", "abc"])
def test_a_missing_record_has_no_associations(portal: Portal, record: str) -> None:
    response = get(portal, record)
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_archived_records_disappear_from_reads(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    kept, gone = portal.create_records("companies", 2)
    associate_many(portal, contact, [kept, gone])
    assert portal.delete(f"/crm/v3/objects/companies/{gone}").status_code == 204
    assert [r["toObjectId"] for r in get(portal, contact).json()["results"]] == [int(kept)]
    assert portal.delete(f"/crm/v3/objects/contacts/{contact}").status_code == 204
    assert get(portal, contact).json() == {"results": []}


def test_another_portal_sees_nothing(portal: Portal, other_portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    associate_many(portal, contact, portal.create_records("companies", 1))
    assert get(other_portal, contact).json() == {"results": []}


def test_needs_a_read_scope_of_the_from_type(portal: Portal, services: Services) -> None:
    [contact] = portal.create_records("contacts", 1)
    wrong = with_scopes(services, portal, ["crm.objects.companies.read"])
    response = get(wrong, contact)
    assert response.status_code == 403
    assert response.json()["category"] == "MISSING_SCOPES"
    assert (
        get(with_scopes(services, portal, ["crm.objects.contacts.read"]), contact).status_code
        == 200
    )
