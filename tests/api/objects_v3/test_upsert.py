"""POST /crm/v3/objects/{objectType}/batch/upsert (reference §3.5)."""

from __future__ import annotations

from tests.support.portals import Portal

UPSERT = "/crm/v3/objects/contacts/batch/upsert"


def test_upsert_creates_and_updates_and_says_which(portal: Portal) -> None:
    existing = portal.post(
        "/crm/v3/objects/contacts", json={"properties": {"email": "ada@example.com"}}
    ).json()
    inputs = [
        {"id": "ADA@example.com", "idProperty": "email", "properties": {"firstname": "Ada"}},
        {"id": "bob@example.com", "idProperty": "email", "properties": {"firstname": "Bob"}},
    ]
    response = portal.post(UPSERT, json={"inputs": inputs})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "COMPLETE"
    first, second = body["results"]
    assert (first["id"], first["new"]) == (existing["id"], False)
    assert first["properties"]["firstname"] == "Ada"
    assert second["new"] is True
    assert second["properties"]["email"] == "bob@example.com"
    again = portal.post(UPSERT, json={"inputs": inputs[1:]}).json()["results"][0]
    assert (again["id"], again["new"]) == (second["id"], False)


def test_the_query_parameter_is_the_default_id_property(portal: Portal) -> None:
    inputs = [{"id": "q@example.com", "properties": {"firstname": "Q"}}]
    response = portal.post(f"{UPSERT}?idProperty=email", json={"inputs": inputs})
    assert response.status_code == 200
    assert response.json()["results"][0]["new"] is True


def test_the_record_id_and_other_non_unique_properties_are_refused(portal: Portal) -> None:
    for name in ("hs_object_id", "firstname"):
        inputs = [{"id": "1", "idProperty": name, "properties": {}}]
        response = portal.post(UPSERT, json={"inputs": inputs})
        assert response.status_code == 400
        assert response.json()["message"] == (
            f"Unable to perform update/upsert by non-unique 0-1 property {name} in portal ID "
            f"{portal.id}"
        )


def test_two_inputs_for_one_record_fail_the_batch(portal: Portal) -> None:
    inputs = [
        {"id": "a@example.com", "idProperty": "email", "properties": {}},
        {"id": "A@example.com", "idProperty": "email", "properties": {}},
    ]
    response = portal.post(UPSERT, json={"inputs": inputs})
    assert response.status_code == 400
    assert portal.get("/crm/v3/objects/contacts").json()["results"] == []


def test_an_invalid_value_fails_the_batch(portal: Portal) -> None:
    inputs = [
        {"id": "a@example.com", "idProperty": "email", "properties": {"firstname": "A"}},
        {"id": "b@example.com", "idProperty": "email", "properties": {"lifecyclestage": "x"}},
    ]
    response = portal.post(UPSERT, json={"inputs": inputs})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "INVALID_OPTION"
    assert portal.get("/crm/v3/objects/contacts").json()["results"] == []
    bad_id = [{"id": "not-an-email", "idProperty": "email", "properties": {}}]
    assert portal.post(UPSERT, json={"inputs": bad_id}).json()["errors"][0]["code"] == (
        "INVALID_EMAIL"
    )
