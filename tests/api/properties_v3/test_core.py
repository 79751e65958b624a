"""/crm/v3/properties/{objectType} and …/{propertyName} (reference §1.1-1.4)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hubgraph.services.context import Services
from tests.support.portals import Portal, new_portal

FAVOURITE = {
    "name": "favourite_colour",
    "label": "Favourite colour",
    "type": "enumeration",
    "fieldType": "select",
    "groupName": "contactinformation",
    "options": [
        {"label": "Red", "value": "red", "hidden": False},
        {"label": "Blue", "value": "blue", "hidden": False, "displayOrder": 5},
    ],
}


@pytest.mark.parametrize("object_type", ["contacts", "contact", "0-1", "CONTACTS"])
def test_every_name_form_lists_hubspots_default_properties(
    portal: Portal, object_type: str
) -> None:
    response = portal.get(f"/crm/v3/properties/{object_type}")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["results"]  # CollectionResponsePropertyNoPaging: no paging
    by_name = {p["name"]: p for p in body["results"]}
    assert {"email", "firstname", "lastmodifieddate", "hs_lastmodifieddate"} <= set(by_name)
    email = by_name["email"]
    assert email["type"] == "string"
    assert email["fieldType"] == "text"
    assert email["groupName"] == "contactinformation"
    assert email["hubspotDefined"] is True
    assert email["hasUniqueValue"] is True
    assert by_name["hs_object_id"]["modificationMetadata"] == {
        "archivable": False,
        "readOnlyDefinition": True,
        "readOnlyValue": True,
    }


def test_create_answers_201_with_location_and_reads_back(portal: Portal) -> None:
    response = portal.post("/crm/v3/properties/contacts", json=FAVOURITE)
    assert response.status_code == 201, response.text
    assert response.headers["location"].endswith("/crm/v3/properties/contacts/favourite_colour")
    created = response.json()
    assert created["name"] == "favourite_colour"
    assert created["hubspotDefined"] is False
    assert created["modificationMetadata"]["readOnlyValue"] is False
    assert created["options"] == [
        {"label": "Red", "value": "red", "displayOrder": 0, "hidden": False},
        {"label": "Blue", "value": "blue", "displayOrder": 5, "hidden": False},
    ]
    assert created["createdAt"].endswith("Z")
    got = portal.get("/crm/v3/properties/contact/favourite_colour")
    assert got.status_code == 200
    assert got.json() == created
    listed = portal.get("/crm/v3/properties/0-1").json()["results"]
    assert "favourite_colour" in {p["name"] for p in listed}


def test_custom_properties_belong_to_their_portal(portal: Portal, other_portal: Portal) -> None:
    assert portal.post("/crm/v3/properties/contacts", json=FAVOURITE).status_code == 201
    assert other_portal.get("/crm/v3/properties/contacts/favourite_colour").status_code == 404
    assert other_portal.post("/crm/v3/properties/contacts", json=FAVOURITE).status_code == 201


def test_a_name_in_use_is_409(portal: Portal) -> None:
    assert portal.post("/crm/v3/properties/contacts", json=FAVOURITE).status_code == 201
    again = portal.post("/crm/v3/properties/contacts", json=FAVOURITE)
    assert again.status_code == 409
    assert again.json()["category"] == "OBJECT_ALREADY_EXISTS"
    default = portal.post("/crm/v3/properties/contacts", json={**FAVOURITE, "name": "email"})
    assert default.status_code == 409


def test_a_type_and_field_type_that_do_not_match_are_400(portal: Portal) -> None:
    response = portal.post(
        "/crm/v3/properties/contacts", json={**FAVOURITE, "type": "number", "fieldType": "select"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert "does not support fieldType select" in body["message"]


def test_an_unknown_type_is_400_invalid_input(portal: Portal) -> None:
    response = portal.post("/crm/v3/properties/contacts", json={**FAVOURITE, "type": "json"})
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_an_unknown_group_is_400(portal: Portal) -> None:
    response = portal.post(
        "/crm/v3/properties/contacts", json={**FAVOURITE, "groupName": "nowhere"}
    )
    assert response.status_code == 400
    assert "nowhere" in response.json()["message"]


def test_an_invalid_name_is_400(portal: Portal) -> None:
    response = portal.post("/crm/v3/properties/contacts", json={**FAVOURITE, "name": "1-bad"})
    assert response.status_code == 400


def test_an_unknown_property_is_404(portal: Portal) -> None:
    response = portal.get("/crm/v3/properties/contacts/no_such_thing")
    assert response.status_code == 404
    assert response.json()["category"] == "OBJECT_NOT_FOUND"


def test_an_unknown_object_type_is_400(portal: Portal) -> None:
    response = portal.get("/crm/v3/properties/widgets")
    assert response.status_code == 400
    assert response.json()["message"] == "Unable to infer object type from: widgets"


def test_update_changes_the_fields_sent(portal: Portal) -> None:
    portal.post("/crm/v3/properties/contacts", json=FAVOURITE)
    response = portal.request(
        "PATCH",
        "/crm/v3/properties/contacts/favourite_colour",
        json={
            "label": "Colour",
            "options": [{"label": "Green", "value": "green", "hidden": False}],
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["label"] == "Colour"
    assert [o["value"] for o in body["options"]] == ["green"]
    assert body["groupName"] == "contactinformation"


def test_default_options_can_be_extended_but_read_only_definitions_cannot_change(
    portal: Portal,
) -> None:
    stages = portal.get("/crm/v3/properties/contacts/lifecyclestage").json()["options"]
    extended = [*stages, {"label": "Partner", "value": "1234", "hidden": False}]
    response = portal.request(
        "PATCH", "/crm/v3/properties/contacts/lifecyclestage", json={"options": extended}
    )
    assert response.status_code == 200
    assert response.json()["hubspotDefined"] is True
    assert response.json()["options"][-1]["value"] == "1234"
    refused = portal.request(
        "PATCH", "/crm/v3/properties/contacts/hs_object_id", json={"label": "Id"}
    )
    assert refused.status_code == 400


def test_archive_moves_to_the_recycle_bin(portal: Portal) -> None:
    portal.post("/crm/v3/properties/contacts", json=FAVOURITE)
    assert portal.delete("/crm/v3/properties/contacts/favourite_colour").status_code == 204
    assert portal.get("/crm/v3/properties/contacts/favourite_colour").status_code == 404
    archived = portal.get("/crm/v3/properties/contacts/favourite_colour?archived=true")
    assert archived.status_code == 200
    assert archived.json()["archived"] is True
    assert "archivedAt" in archived.json()
    listed = portal.get("/crm/v3/properties/contacts?archived=true").json()["results"]
    assert [p["name"] for p in listed] == ["favourite_colour"]
    assert portal.delete("/crm/v3/properties/contacts/email").status_code == 400
    assert portal.delete("/crm/v3/properties/contacts/favourite_colour").status_code == 404


def test_writes_need_a_schema_or_object_write_scope(services: Services, client: TestClient) -> None:
    def make(scopes: list[str]) -> Portal:
        return new_portal(services, client, scopes)

    reader = make(["crm.objects.contacts.read"])
    assert reader.get("/crm/v3/properties/contacts").status_code == 200
    refused = reader.post("/crm/v3/properties/contacts", json=FAVOURITE)
    assert refused.status_code == 403
    assert refused.json()["category"] == "MISSING_SCOPES"
    writer = make(["crm.schemas.contacts.write"])
    assert writer.post("/crm/v3/properties/contacts", json=FAVOURITE).status_code == 201
    assert make(["crm.objects.deals.read"]).get("/crm/v3/properties/contacts").status_code == 403
