"""/crm/v3/objects/{objectType}/batch/read, …/batch/update, …/batch/archive"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.portals import Portal

NOT_FOUND = (
    "Could not get some CONTACT objects, they may be deleted or not exist. "
    "Check that ids are valid."
)
TOO_MANY = (
    "The maximum number of inputs supported in a batch is 100. "
    "Please reduce the number of items and try again"
)


def ids(*values: str) -> list[dict[str, str]]:
    return [{"id": v} for v in values]


def read(portal: Portal, body: dict[str, Any], query: str = "") -> Any:
    return portal.post(f"/crm/v3/objects/contacts/batch/read{query}", json=body)


def test_batch_read_200_with_requested_properties(portal: Portal) -> None:
    created = portal.post(
        "/crm/v3/objects/contacts/batch/create",
        json={
            "inputs": [
                {"properties": {"email": f"{i}@x.io", "firstname": str(i)}} for i in range(3)
            ]
        },
    ).json()["results"]
    wanted = [c["id"] for c in created]
    response = read(portal, {"inputs": ids(*wanted), "properties": ["email"]})
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    assert [r["id"] for r in body["results"]] == wanted
    assert body["results"][0]["properties"]["email"] == "0@x.io"
    assert "firstname" not in body["results"][0]["properties"]
    every = read(portal, {"inputs": ids(wanted[0]), "properties": []}).json()
    assert every["results"][0]["properties"]["firstname"] == "0"


def test_batch_read_207_names_missing_ids_in_one_error(portal: Portal) -> None:
    [a, b] = portal.create_records("contacts", 2)
    portal.delete(f"/crm/v3/objects/contacts/{b}")
    response = read(portal, {"inputs": ids(a, b, "999999", "abc", a), "properties": []})
    assert response.status_code == 207
    body = response.json()
    assert [r["id"] for r in body["results"]] == [a]
    assert body["numErrors"] == 1
    error = body["errors"][0]
    assert error["status"] == "error"
    assert error["category"] == "OBJECT_NOT_FOUND"
    assert error["message"] == NOT_FOUND
    assert error["context"] == {"ids": [b, "999999", "abc"]}
    archived = read(portal, {"inputs": ids(b), "properties": []}, "?archived=true")
    assert archived.status_code == 200
    assert archived.json()["results"][0]["archived"] is True


def test_batch_read_id_property(portal: Portal) -> None:
    [a] = portal.create_records("contacts", 1)
    ok = read(portal, {"inputs": ids(a), "properties": [], "idProperty": "hs_object_id"})
    assert ok.status_code == 200
    other = read(portal, {"inputs": ids(a), "properties": [], "idProperty": "firstname"})
    assert other.status_code == 400


def test_batch_update_merges_and_reports_missing_207(portal: Portal) -> None:
    [a, b] = portal.create_records("contacts", 2)
    inputs = [
        {"id": a, "properties": {"firstname": "A2", "jobtitle": 7}},
        {"id": "999999", "properties": {"firstname": "ghost"}},
        {"id": b, "properties": {}},
    ]
    response = portal.post("/crm/v3/objects/contacts/batch/update", json={"inputs": inputs})
    assert response.status_code == 207
    body = response.json()
    assert [(r["id"], r["properties"]["firstname"]) for r in body["results"]] == [
        (a, "A2"),
        (b, "contacts-1"),
    ]
    assert body["results"][0]["properties"]["jobtitle"] == "7"
    assert body["errors"][0]["message"] == NOT_FOUND
    assert body["errors"][0]["context"] == {"ids": ["999999"]}
    assert portal.get(f"/crm/v3/objects/contacts/{a}").json()["properties"]["firstname"] == "A2"
    ok = portal.post(
        "/crm/v3/objects/contacts/batch/update",
        json={"inputs": [{"id": a, "properties": {"firstname": "A3"}}]},
    )
    assert ok.status_code == 200
    assert "errors" not in ok.json()


def test_batch_update_duplicate_ids_is_400_and_writes_nothing(portal: Portal) -> None:
    [a] = portal.create_records("contacts", 1)
    inputs = [
        {"id": a, "properties": {"firstname": "x"}},
        {"id": a, "properties": {"firstname": "y"}},
    ]
    response = portal.post("/crm/v3/objects/contacts/batch/update", json={"inputs": inputs})
    assert response.status_code == 400
    assert response.json()["message"] == (
        f"Duplicate IDs found in batch input: [{a}]. IDs must be unique"
    )
    assert (
        portal.get(f"/crm/v3/objects/contacts/{a}").json()["properties"]["firstname"]
        == "contacts-0"
    )


def test_batch_archive_is_204_and_ignores_unknown_ids(portal: Portal) -> None:
    [a, b, c] = portal.create_records("contacts", 3)
    response = portal.post(
        "/crm/v3/objects/contacts/batch/archive", json={"inputs": ids(a, b, "999999", "x")}
    )
    assert response.status_code == 204
    assert response.content == b""
    listed = portal.get("/crm/v3/objects/contacts").json()["results"]
    assert [r["id"] for r in listed] == [c]
    again = portal.post("/crm/v3/objects/contacts/batch/archive", json={"inputs": ids(a)})
    assert again.status_code == 204


def test_batch_archive_hides_associations(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    portal.put(f"/crm/v4/objects/contacts/{contact}/associations/default/companies/{company}")
    portal.post("/crm/v3/objects/companies/batch/archive", json={"inputs": ids(company)})
    body = portal.get(f"/crm/v3/objects/contacts/{contact}?associations=companies").json()
    assert "associations" not in body


@pytest.mark.parametrize("action", ["read", "update", "archive"])
def test_more_than_100_inputs_is_400(portal: Portal, action: str) -> None:
    item: dict[str, Any] = {"id": "1", "properties": {}}
    body: dict[str, Any] = {"inputs": [item] * 101, "properties": []}
    response = portal.post(f"/crm/v3/objects/contacts/batch/{action}", json=body)
    assert response.status_code == 400
    assert response.json()["message"] == TOO_MANY


def test_batch_update_of_100_records(portal: Portal) -> None:
    created = portal.create_records("deals", 100)
    inputs = [{"id": i, "properties": {"amount": str(n)}} for n, i in enumerate(created)]
    response = portal.post("/crm/v3/objects/deals/batch/update", json={"inputs": inputs})
    assert response.status_code == 200
    assert [r["properties"]["amount"] for r in response.json()["results"]] == [
        str(n) for n in range(100)
    ]
