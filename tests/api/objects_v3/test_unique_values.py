"""Unique values (contact email, hasUniqueValue) and idProperty (reference §3.1-3.4)."""

from __future__ import annotations

from typing import Any

from tests.support.portals import Portal


def _contact(portal: Portal, email: str) -> Any:
    return portal.post("/crm/v3/objects/contacts", json={"properties": {"email": email}})


def _unique_property(portal: Portal, object_type: str = "deals", name: str = "ext_id") -> None:
    group = {"deals": "dealinformation", "companies": "companyinformation"}[object_type]
    definition = {
        "name": name,
        "label": name,
        "type": "string",
        "fieldType": "text",
        "groupName": group,
        "hasUniqueValue": True,
    }
    response = portal.post(f"/crm/v3/properties/{object_type}", json=definition)
    assert response.status_code == 201, response.text


def test_a_second_contact_with_an_email_is_409_naming_the_first(portal: Portal) -> None:
    first = _contact(portal, "ada@example.com").json()
    again = _contact(portal, "ADA@Example.com")
    assert again.status_code == 409
    body = again.json()
    assert list(body) == ["status", "message", "correlationId", "category"]
    assert body["message"] == f"Contact already exists. Existing ID: {first['id']}"
    assert body["category"] == "CONFLICT"


def test_a_batch_with_a_taken_or_repeated_email_fails_as_a_whole(portal: Portal) -> None:
    first = _contact(portal, "ada@example.com").json()
    inputs = [
        {"properties": {"email": "new@example.com"}},
        {"properties": {"email": "ada@example.com"}},
    ]
    taken = portal.post("/crm/v3/objects/contacts/batch/create", json={"inputs": inputs})
    assert taken.status_code == 409
    assert taken.json()["message"] == f"Contact already exists. Existing ID: {first['id']}"
    twice = [{"properties": {"email": "b@example.com"}}, {"properties": {"email": "b@example.com"}}]
    repeated = portal.post("/crm/v3/objects/contacts/batch/create", json={"inputs": twice})
    assert repeated.status_code == 409
    emails = [
        c["properties"].get("email")
        for c in portal.get("/crm/v3/objects/contacts").json()["results"]
    ]
    assert emails == ["ada@example.com"]


def test_patching_to_a_taken_email_is_409_and_an_archived_contact_frees_its_email(
    portal: Portal,
) -> None:
    first = _contact(portal, "ada@example.com").json()
    second = _contact(portal, "bob@example.com").json()
    clash = portal.request(
        "PATCH",
        f"/crm/v3/objects/contacts/{second['id']}",
        json={"properties": {"email": "ada@example.com"}},
    )
    assert clash.status_code == 409
    # an email given up is free again
    moved = portal.request(
        "PATCH",
        f"/crm/v3/objects/contacts/{second['id']}",
        json={"properties": {"email": "robert@example.com"}},
    )
    assert moved.status_code == 200
    assert _contact(portal, "bob@example.com").status_code == 201
    portal.delete(f"/crm/v3/objects/contacts/{first['id']}")
    assert _contact(portal, "ada@example.com").status_code == 201


def test_custom_unique_properties_are_enforced(portal: Portal) -> None:
    _unique_property(portal)
    first = portal.post("/crm/v3/objects/deals", json={"properties": {"ext_id": "A-1"}}).json()
    again = portal.post("/crm/v3/objects/deals", json={"properties": {"ext_id": "A-1"}})
    assert again.status_code == 409
    assert again.json()["message"] == f"Deal already exists. Existing ID: {first['id']}"
    assert (
        portal.post("/crm/v3/objects/deals", json={"properties": {"ext_id": "a-1"}}).status_code
        == 201
    )


def test_get_and_patch_by_email(portal: Portal) -> None:
    created = _contact(portal, "ada@example.com").json()
    got = portal.get("/crm/v3/objects/contacts/Ada@Example.com?idProperty=email")
    assert got.status_code == 200
    assert got.json()["id"] == created["id"]
    patched = portal.request(
        "PATCH",
        "/crm/v3/objects/0-1/ada@example.com?idProperty=email",
        json={"properties": {"firstname": "Ada"}},
    )
    assert patched.status_code == 200
    assert patched.json()["properties"]["firstname"] == "Ada"
    missing = portal.get("/crm/v3/objects/contacts/nobody@example.com?idProperty=email")
    assert missing.status_code == 404


def test_a_non_unique_id_property_is_400(portal: Portal) -> None:
    response = portal.get("/crm/v3/objects/contacts/Ada?idProperty=firstname")
    assert response.status_code == 400
    assert response.json()["message"] == (
        f"Unable to perform update/upsert by non-unique 0-1 property firstname in portal ID "
        f"{portal.id}"
    )


def test_batch_read_by_unique_value_reports_the_missing(portal: Portal) -> None:
    created = _contact(portal, "ada@example.com").json()
    body = {
        "inputs": [{"id": "ada@example.com"}, {"id": "nobody@example.com"}],
        "properties": ["email"],
        "idProperty": "email",
    }
    response = portal.post("/crm/v3/objects/contacts/batch/read", json=body)
    assert response.status_code == 207
    assert [r["id"] for r in response.json()["results"]] == [created["id"]]
    assert response.json()["errors"][0]["context"] == {"ids": ["nobody@example.com"]}


def test_batch_update_takes_custom_unique_ids_but_not_email(portal: Portal) -> None:
    _unique_property(portal, "companies", "erp_id")
    company = portal.post("/crm/v3/objects/companies", json={"properties": {"erp_id": "E1"}}).json()
    inputs = [{"id": "E1", "idProperty": "erp_id", "properties": {"name": "Acme"}}]
    updated = portal.post("/crm/v3/objects/companies/batch/update", json={"inputs": inputs})
    assert updated.status_code == 200
    assert updated.json()["results"][0]["id"] == company["id"]
    _contact(portal, "ada@example.com")
    by_email = [{"id": "ada@example.com", "idProperty": "email", "properties": {"firstname": "A"}}]
    refused = portal.post("/crm/v3/objects/contacts/batch/update", json={"inputs": by_email})
    assert refused.status_code == 400
    assert "non-unique 0-1 property email" in refused.json()["message"]


def test_restoring_a_contact_whose_email_was_taken_is_409(portal: Portal) -> None:
    first = _contact(portal, "ada@example.com").json()
    portal.delete(f"/crm/v3/objects/contacts/{first['id']}")
    second = _contact(portal, "ada@example.com").json()
    restore = portal.post(f"/_hubgraph/objects/contacts/{first['id']}/restore")
    assert restore.status_code == 409
    assert restore.json()["message"] == f"Contact already exists. Existing ID: {second['id']}"
    portal.delete(f"/crm/v3/objects/contacts/{second['id']}")
    assert portal.post(f"/_hubgraph/objects/contacts/{first['id']}/restore").status_code == 200
    assert _contact(portal, "ada@example.com").status_code == 409
