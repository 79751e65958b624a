"""/crm/v3/properties/{objectType}/batch/{create,read,archive} (reference §1.1)."""

from __future__ import annotations

from typing import Any

from tests.support.portals import Portal


def _prop(name: str, **overrides: Any) -> dict[str, Any]:
    return {
        "name": name,
        "label": name.title(),
        "type": "string",
        "fieldType": "text",
        "groupName": "dealinformation",
        **overrides,
    }


def test_batch_create_answers_201_with_every_property(portal: Portal) -> None:
    response = portal.post(
        "/crm/v3/properties/deals/batch/create", json={"inputs": [_prop("a1"), _prop("a2")]}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "COMPLETE"
    assert [p["name"] for p in body["results"]] == ["a1", "a2"]


def test_batch_create_reports_refused_inputs_and_creates_the_rest(portal: Portal) -> None:
    response = portal.post(
        "/crm/v3/properties/deals/batch/create",
        json={"inputs": [_prop("b1"), _prop("dealname"), _prop("b2", fieldType="radio")]},
    )
    assert response.status_code == 207
    body = response.json()
    assert [p["name"] for p in body["results"]] == ["b1"]
    assert body["numErrors"] == 2
    assert [e["context"]["name"] for e in body["errors"]] == [["dealname"], ["b2"]]
    assert portal.get("/crm/v3/properties/deals/b1").status_code == 200
    assert portal.get("/crm/v3/properties/deals/b2").status_code == 404


def test_batch_read_answers_known_names_and_207_for_the_others(portal: Portal) -> None:
    body = {
        "inputs": [{"name": "dealname"}, {"name": "amount"}],
        "archived": False,
        "dataSensitivity": "non_sensitive",
    }
    response = portal.post("/crm/v3/properties/deals/batch/read", json=body)
    assert response.status_code == 200
    assert [p["name"] for p in response.json()["results"]] == ["dealname", "amount"]
    missing = portal.post(
        "/crm/v3/properties/deals/batch/read",
        json={**body, "inputs": [{"name": "amount"}, {"name": "nope"}]},
    )
    assert missing.status_code == 207
    error = missing.json()["errors"][0]
    assert error["category"] == "OBJECT_NOT_FOUND"
    assert error["context"] == {"name": ["nope"]}


def test_batch_archive_is_204_whatever_the_names_name(portal: Portal) -> None:
    portal.post("/crm/v3/properties/deals/batch/create", json={"inputs": [_prop("c1")]})
    response = portal.post(
        "/crm/v3/properties/deals/batch/archive",
        json={"inputs": [{"name": "c1"}, {"name": "never"}, {"name": "dealname"}]},
    )
    assert response.status_code == 204
    assert portal.get("/crm/v3/properties/deals/c1").status_code == 404
    assert portal.get("/crm/v3/properties/deals/dealname").status_code == 200


def test_unique_properties_are_capped_at_ten(portal: Portal) -> None:
    inputs = [_prop(f"u{i}", hasUniqueValue=True) for i in range(10)]
    assert (
        portal.post("/crm/v3/properties/deals/batch/create", json={"inputs": inputs}).status_code
        == 201
    )
    eleventh = portal.post("/crm/v3/properties/deals", json=_prop("u10", hasUniqueValue=True))
    assert eleventh.status_code == 400
    assert "maximum of 10 unique" in eleventh.json()["message"]
