"""PUT /crm/v4/objects/{fromType}/{fromId}/associations/default/{toType}/{toId}"""

from __future__ import annotations

import pytest

from hubgraph.domain.association_types import Category
from hubgraph.services.context import Services
from tests.support.associations_v4 import add_limit, associated, put_default, with_scopes
from tests.support.portals import Portal


def test_returns_both_directions_with_200(portal: Portal) -> None:
    [deal] = portal.create_records("deals", 1)
    [item] = portal.create_records("line_items", 1)
    response = put_default(portal, "line_items", item, "deals", deal)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "COMPLETE"
    assert "errors" not in body
    got = {
        (r["from"]["id"], r["to"]["id"], r["associationSpec"]["associationTypeId"])
        for r in body["results"]
    }
    assert got == {(item, deal, 20), (deal, item, 19)}
    assert {r["associationSpec"]["associationCategory"] for r in body["results"]} == {
        "HUBSPOT_DEFINED"
    }


def test_both_directions_are_readable_afterwards(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    assert put_default(portal, "contacts", contact, "companies", company).status_code == 200
    assert associated(portal, "contacts", contact, "companies") == {
        int(company): {("HUBSPOT_DEFINED", 279, None)}
    }
    assert associated(portal, "companies", company, "contacts") == {
        int(contact): {("HUBSPOT_DEFINED", 280, None)}
    }


def test_repeating_it_changes_nothing(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    first = put_default(portal, "contacts", contact, "companies", company)
    second = put_default(portal, "0-1", contact, "COMPANY", company)
    assert first.status_code == second.status_code == 200
    assert len(second.json()["results"]) == 2
    assert associated(portal, "contacts", contact, "companies") == {
        int(company): {("HUBSPOT_DEFINED", 279, None)}
    }


@pytest.mark.parametrize("bad", ["424242424242", "abc", "archived"])
def test_an_invalid_or_archived_record_is_a_400(portal: Portal, bad: str) -> None:
    [contact] = portal.create_records("contacts", 1)
    company = bad
    if bad == "archived":
        [company] = portal.create_records("companies", 1)
        assert portal.delete(f"/crm/v3/objects/companies/{company}").status_code == 204
    response = put_default(portal, "contacts", contact, "companies", company)
    assert response.status_code == 400
    body = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert body["message"] == "One or more associations are invalid"
    assert body["context"]["INVALID_OBJECT_IDS"] == [f"COMPANY={company} is not valid"]


def test_over_a_configured_limit_is_a_400_and_writes_nothing(
    portal: Portal, services: Services
) -> None:
    [contact] = portal.create_records("contacts", 1)
    companies = portal.create_records("companies", 2)
    add_limit(services, portal, "0-1", "0-2", Category.HUBSPOT_DEFINED, 279, 1)
    assert put_default(portal, "contacts", contact, "companies", companies[0]).status_code == 200
    response = put_default(portal, "contacts", contact, "companies", companies[1])
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
    assert response.json()["context"]["limit"] == ["1"]
    assert set(associated(portal, "contacts", contact, "companies")) == {int(companies[0])}
    assert associated(portal, "companies", companies[1], "contacts") == {}


def test_needs_a_write_scope_of_either_side(portal: Portal, services: Services) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    reader = with_scopes(services, portal, ["crm.objects.contacts.read"])
    response = put_default(reader, "contacts", contact, "companies", company)
    assert response.status_code == 403
    assert response.json()["category"] == "MISSING_SCOPES"
    writer = with_scopes(services, portal, ["crm.objects.companies.write"])
    assert put_default(writer, "contacts", contact, "companies", company).status_code == 200
