"""POST /crm/v3/objects/{objectType}/merge (reference §5)."""

from __future__ import annotations

from typing import Any

from tests.support.portals import Portal

PRIMARY = {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}
UNLABELED = {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279}


def _contact(portal: Portal, properties: dict[str, str], companies: dict[str, Any]) -> str:
    body = {
        "properties": properties,
        "associations": [{"to": {"id": c}, "types": t} for c, t in companies.items()],
    }
    response = portal.post("/crm/v3/objects/contacts", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _merge(portal: Portal, primary: str, other: str) -> Any:
    body = {"primaryObjectId": primary, "objectIdToMerge": other}
    return portal.post("/crm/v3/objects/contacts/merge", json=body)


def _labels(portal: Portal, contact: str) -> dict[str, list[int]]:
    body = portal.get(f"/crm/v4/objects/contacts/{contact}/associations/companies").json()
    return {
        str(r["toObjectId"]): sorted(t["typeId"] for t in r["associationTypes"])
        for r in body["results"]
    }


def test_merging_makes_a_new_record_both_old_ids_resolve_to(portal: Portal) -> None:
    a, b, c = portal.create_records("companies", 3)
    primary = _contact(
        portal, {"email": "ada@example.com", "firstname": "Ada"}, {a: [PRIMARY], b: [UNLABELED]}
    )
    other = _contact(
        portal,
        {"email": "ada.l@example.com", "firstname": "Augusta", "jobtitle": "Countess"},
        {a: [UNLABELED], c: [PRIMARY]},
    )
    response = _merge(portal, primary, other)
    assert response.status_code == 200, response.text
    merged = response.json()
    new_id = merged["id"]
    assert new_id not in (primary, other)
    assert merged["properties"]["firstname"] == "Ada"  # the primary's values win
    assert merged["properties"]["jobtitle"] == "Countess"  # the other fills the gaps
    assert merged["properties"]["email"] == "ada@example.com"
    assert merged["properties"]["hs_merged_object_ids"] == ";".join(
        sorted([primary, other], key=int)
    )
    for old in (primary, other):
        assert portal.get(f"/crm/v3/objects/contacts/{old}").json()["id"] == new_id
    patched = portal.request(
        "PATCH", f"/crm/v3/objects/contacts/{other}", json={"properties": {"lastname": "King"}}
    )
    assert patched.json()["id"] == new_id
    # associations combined; the primary's primary company wins, the other's is demoted
    assert _labels(portal, new_id) == {a: [1, 279], b: [279], c: [279]}
    # the old records are gone from lists; the merged one's email is unique again
    listed = [r["id"] for r in portal.get("/crm/v3/objects/contacts").json()["results"]]
    assert listed == [new_id]
    again = portal.post(
        "/crm/v3/objects/contacts", json={"properties": {"email": "ada@example.com"}}
    )
    assert again.json()["message"] == f"Contact already exists. Existing ID: {new_id}"


def test_a_record_merged_twice_keeps_every_old_id(portal: Portal) -> None:
    x, y, z = portal.create_records("contacts", 3)
    first = _merge(portal, x, y).json()["id"]
    second = _merge(portal, first, z).json()
    assert second["properties"]["hs_merged_object_ids"] == ";".join(
        sorted([x, y, z, first], key=int)
    )
    for old in (x, y, z, first):
        assert portal.get(f"/crm/v3/objects/contacts/{old}").json()["id"] == second["id"]


def test_merging_into_itself_or_a_missing_record_is_refused(portal: Portal) -> None:
    [x] = portal.create_records("contacts", 1)
    itself = _merge(portal, x, x)
    assert itself.status_code == 400
    assert itself.json()["category"] == "VALIDATION_ERROR"
    missing = _merge(portal, x, "999999")
    assert missing.status_code == 404
    assert missing.json()["category"] == "OBJECT_NOT_FOUND"
    assert portal.get(f"/crm/v3/objects/contacts/{x}").json()["id"] == x


def test_companies_merge_too(portal: Portal) -> None:
    a, b = portal.create_records("companies", 2)
    body = {"primaryObjectId": a, "objectIdToMerge": b}
    response = portal.post("/crm/v3/objects/companies/merge", json=body)
    assert response.status_code == 200
    assert response.json()["properties"]["name"] == "companies-0"
