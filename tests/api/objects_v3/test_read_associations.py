"""``?associations=`` on GET by id and list (reference §10.3)."""

from __future__ import annotations

from typing import Any

import pytest

from hubgraph.services.context import Services
from tests.support.associations_v4 import add_label, put_default, put_labels, spec
from tests.support.portals import Portal


def results(body: dict[str, Any], key: str) -> list[tuple[str, str]]:
    return [(a["id"], a["type"]) for a in body["associations"][key]["results"]]


def test_primary_and_unlabeled_each_have_an_entry(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    companies = portal.create_records("companies", 2)
    put_labels(portal, "contacts", contact, "companies", companies[0], [spec(1)])
    put_default(portal, "contacts", contact, "companies", companies[1])
    body = portal.get(f"/crm/v3/objects/contacts/{contact}?associations=companies").json()
    assert body["associations"] == {
        "companies": {
            "results": [
                {"id": companies[0], "type": "contact_to_company"},
                {"id": companies[0], "type": "contact_to_company_unlabeled"},
                {"id": companies[1], "type": "contact_to_company_unlabeled"},
            ]
        }
    }
    back = portal.get(f"/crm/v3/objects/companies/{companies[0]}?associations=contacts").json()
    assert results(back, "contacts") == [
        (contact, "company_to_contact"),
        (contact, "company_to_contact_unlabeled"),
    ]


def test_several_types_keys_as_requested_and_the_sdks_repeated_form(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    [deal] = portal.create_records("deals", 1)
    put_default(portal, "contacts", contact, "companies", company)
    put_default(portal, "contacts", contact, "deals", deal)
    for query in ("associations=company,deals", "associations=company&associations=deals"):
        body = portal.get(f"/crm/v3/objects/contacts/{contact}?{query}").json()
        assert set(body["associations"]) == {"company", "deals"}
        assert results(body, "company") == [(company, "contact_to_company_unlabeled")]
        assert results(body, "deals") == [(deal, "contact_to_deal")]
    by_id = portal.get(f"/crm/v3/objects/contacts/{contact}?associations=0-3").json()
    assert results(by_id, "0-3") == [(deal, "contact_to_deal")]


def test_user_label_is_named_by_its_internal_name(portal: Portal, services: Services) -> None:
    add_label(services, portal, "0-1", "0-2", 31, "Decision maker", 32, "Decides for")
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    put_labels(portal, "contacts", contact, "companies", company, [spec(31, "USER_DEFINED")])
    body = portal.get(f"/crm/v3/objects/contacts/{contact}?associations=companies").json()
    assert results(body, "companies") == [
        (company, "contact_to_company_unlabeled"),
        (company, "decision_maker"),
    ]
    back = portal.get(f"/crm/v3/objects/companies/{company}?associations=contacts").json()
    assert results(back, "contacts") == [
        (contact, "company_to_contact_unlabeled"),
        (contact, "decides_for"),
    ]


def test_no_associations_leaves_the_field_out(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    body = portal.get(f"/crm/v3/objects/contacts/{contact}?associations=companies").json()
    assert "associations" not in body
    plain = portal.get(f"/crm/v3/objects/contacts/{contact}").json()
    assert "associations" not in plain


@pytest.mark.parametrize("path", ["/crm/v3/objects/contacts/{}", "/crm/v3/objects/contacts"])
def test_unknown_type_is_400(portal: Portal, path: str) -> None:
    [contact] = portal.create_records("contacts", 1)
    response = portal.get(path.format(contact) + "?associations=companies,widgets")
    assert response.status_code == 400
    assert response.json()["message"] == "Unable to infer object type from: widgets"


def test_archived_targets_and_records_show_nothing(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    companies = portal.create_records("companies", 2)
    for company in companies:
        put_default(portal, "contacts", contact, "companies", company)
    portal.delete(f"/crm/v3/objects/companies/{companies[0]}")
    body = portal.get(f"/crm/v3/objects/contacts/{contact}?associations=companies").json()
    assert results(body, "companies") == [(companies[1], "contact_to_company_unlabeled")]
    portal.delete(f"/crm/v3/objects/contacts/{contact}")
    archived = portal.get(
        f"/crm/v3/objects/contacts/{contact}?archived=true&associations=companies"
    ).json()
    assert "associations" not in archived


def test_list_embeds_each_records_associations(portal: Portal) -> None:
    contacts = portal.create_records("contacts", 3)
    [company] = portal.create_records("companies", 1)
    put_default(portal, "contacts", contacts[0], "companies", company)
    put_labels(portal, "contacts", contacts[2], "companies", company, [spec(1)])
    body = portal.get("/crm/v3/objects/contacts?associations=companies&limit=2").json()
    assert [r["id"] for r in body["results"]] == contacts[:2]
    assert results(body["results"][0], "companies") == [(company, "contact_to_company_unlabeled")]
    assert "associations" not in body["results"][1]
    after = body["paging"]["next"]["after"]
    rest = portal.get(f"/crm/v3/objects/contacts?associations=companies&after={after}").json()
    assert results(rest["results"][0], "companies") == [
        (company, "contact_to_company"),
        (company, "contact_to_company_unlabeled"),
    ]


def test_more_than_a_page_continues_through_the_v4_list(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    companies = portal.create_records("companies", 501)
    inputs = [{"from": {"id": contact}, "to": {"id": c}} for c in companies]
    associate = portal.post(
        "/crm/v4/associations/contacts/companies/batch/associate/default", json={"inputs": inputs}
    )
    assert associate.status_code == 200
    body = portal.get(f"/crm/v3/objects/contacts/{contact}?associations=companies").json()
    embedded = body["associations"]["companies"]
    assert [a["id"] for a in embedded["results"]] == companies[:500]
    after = embedded["paging"]["next"]["after"]
    rest = portal.get(
        f"/crm/v4/objects/contacts/{contact}/associations/companies", params={"after": after}
    ).json()
    assert [r["toObjectId"] for r in rest["results"]] == [int(companies[500])]
