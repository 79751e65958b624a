"""/crm/v3/properties/{objectType}/groups (reference §1.2)."""

from __future__ import annotations

from tests.support.portals import Portal


def test_every_type_starts_with_its_default_group(portal: Portal) -> None:
    for object_type, group in [
        ("contacts", "contactinformation"),
        ("companies", "companyinformation"),
        ("deals", "dealinformation"),
        ("tickets", "ticketinformation"),
    ]:
        body = portal.get(f"/crm/v3/properties/{object_type}/groups").json()
        assert group in {g["name"] for g in body["results"]}


def test_group_life_cycle(portal: Portal) -> None:
    created = portal.post(
        "/crm/v3/properties/companies/groups", json={"name": "billing", "label": "Billing"}
    )
    assert created.status_code == 201
    assert created.json() == {
        "name": "billing",
        "label": "Billing",
        "displayOrder": -1,
        "archived": False,
    }
    assert created.headers["location"].endswith("/crm/v3/properties/companies/groups/billing")
    again = portal.post(
        "/crm/v3/properties/companies/groups", json={"name": "billing", "label": "Billing"}
    )
    assert again.status_code == 409
    updated = portal.request(
        "PATCH",
        "/crm/v3/properties/companies/groups/billing",
        json={"label": "Billing details", "displayOrder": 3},
    )
    assert updated.json()["label"] == "Billing details"
    assert updated.json()["displayOrder"] == 3
    prop = {
        "name": "iban",
        "label": "IBAN",
        "type": "string",
        "fieldType": "text",
        "groupName": "billing",
    }
    assert portal.post("/crm/v3/properties/companies", json=prop).status_code == 201
    assert portal.delete("/crm/v3/properties/companies/groups/billing").status_code == 400
    assert portal.delete("/crm/v3/properties/companies/iban").status_code == 204
    assert portal.delete("/crm/v3/properties/companies/groups/billing").status_code == 204
    assert portal.get("/crm/v3/properties/companies/groups/billing").status_code == 404


def test_an_unknown_group_is_404(portal: Portal) -> None:
    response = portal.get("/crm/v3/properties/contacts/groups/nowhere")
    assert response.status_code == 404
    assert response.json()["category"] == "OBJECT_NOT_FOUND"
