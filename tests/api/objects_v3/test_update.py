"""PATCH /crm/v3/objects/{objectType}/{objectId}"""

from __future__ import annotations

import pytest

from hubgraph.services.context import Services
from tests.support.associations_v4 import with_scopes
from tests.support.portals import Portal


def test_patch_merges_properties_and_moves_updated_at(portal: Portal) -> None:
    created = portal.post(
        "/crm/v3/objects/contacts", json={"properties": {"email": "a@x.io", "firstname": "A"}}
    ).json()
    response = portal.request(
        "PATCH",
        f"/crm/v3/objects/contacts/{created['id']}",
        json={"properties": {"firstname": "B", "annualrevenue": 7, "email": ""}},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == created["id"]
    assert body["properties"]["firstname"] == "B"
    assert body["properties"]["annualrevenue"] == "7"
    assert body["properties"]["email"] == ""
    assert body["createdAt"] == created["createdAt"]
    assert body["updatedAt"] >= created["updatedAt"]
    assert body["properties"]["hs_lastmodifieddate"] == body["updatedAt"]
    assert portal.get(f"/crm/v3/objects/contacts/{created['id']}").json() == body


@pytest.mark.parametrize("object_id", ["999999", "abc"])
def test_patch_missing_is_404(portal: Portal, object_id: str) -> None:
    response = portal.request(
        "PATCH", f"/crm/v3/objects/contacts/{object_id}", json={"properties": {"firstname": "b"}}
    )
    assert response.status_code == 404
    assert response.json()["category"] == "OBJECT_NOT_FOUND"


def test_patch_archived_or_other_type_is_404(portal: Portal) -> None:
    [a, b] = portal.create_records("contacts", 2)
    portal.delete(f"/crm/v3/objects/contacts/{a}")
    body = {"json": {"properties": {"firstname": "1"}}}
    assert portal.request("PATCH", f"/crm/v3/objects/contacts/{a}", **body).status_code == 404
    assert portal.request("PATCH", f"/crm/v3/objects/companies/{b}", **body).status_code == 404


def test_patch_id_property_must_be_unique(portal: Portal) -> None:
    [a] = portal.create_records("contacts", 1)
    body = {"json": {"properties": {"firstname": "1"}}}
    ok = portal.request("PATCH", f"/crm/v3/objects/contacts/{a}?idProperty=hs_object_id", **body)
    assert ok.status_code == 200
    other = portal.request("PATCH", f"/crm/v3/objects/contacts/{a}?idProperty=firstname", **body)
    assert other.status_code == 400
    assert other.json()["category"] == "VALIDATION_ERROR"


def test_patch_without_body_is_400(portal: Portal) -> None:
    [a] = portal.create_records("contacts", 1)
    response = portal.request("PATCH", f"/crm/v3/objects/contacts/{a}")
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Invalid JSON input: a request body was expected, but none found"
    )


def test_patch_needs_the_write_scope(portal: Portal, services: Services) -> None:
    [a] = portal.create_records("contacts", 1)
    reader = with_scopes(services, portal, ["crm.objects.contacts.read"])
    response = reader.request("PATCH", f"/crm/v3/objects/contacts/{a}", json={"properties": {}})
    assert response.status_code == 403
