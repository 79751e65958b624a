"""/crm/v3/objects/{objectType}/batch/create"""

from __future__ import annotations

from tests.support.portals import Portal

URL = "/crm/v3/objects/contacts/batch/create"


def test_batch_create_is_201_with_every_record(portal: Portal) -> None:
    inputs = [{"properties": {"email": f"{i}@example.com"}} for i in range(100)]
    response = portal.post(URL, json={"inputs": inputs})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "COMPLETE"
    assert [r["properties"]["email"] for r in body["results"]] == [
        f"{i}@example.com" for i in range(100)
    ]
    assert len({r["id"] for r in body["results"]}) == 100


def test_more_than_100_inputs_is_400_with_hubspots_message(portal: Portal) -> None:
    response = portal.post(URL, json={"inputs": [{"properties": {}}] * 101})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "The maximum number of inputs supported in a batch is 100. "
        "Please reduce the number of items and try again"
    )
    assert portal.get("/crm/v3/objects/contacts").json()["results"] == []


def test_wrong_property_type_is_400_and_writes_nothing(portal: Portal) -> None:
    inputs = [{"properties": {"email": "ok@example.com"}}, {"properties": {"email": {"nested": 1}}}]
    response = portal.post(URL, json={"inputs": inputs})
    assert response.status_code == 400
    assert "inputs.1.properties.email" in response.text
    assert portal.get("/crm/v3/objects/contacts").json()["results"] == []
