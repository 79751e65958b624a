"""The API families agree: records, labels and associations written through one are what
the others read (objects v3, associations v4, the schema API, the report, restore)."""

from __future__ import annotations

from typing import Any

from tests.support.portals import Portal


def _spec(type_id: int, category: str = "HUBSPOT_DEFINED") -> dict[str, Any]:
    return {"associationCategory": category, "associationTypeId": type_id}


def _create_label(portal: Portal) -> tuple[int, int]:
    """A paired contacts→companies label through the schema API: (forward, inverse) ids."""
    response = portal.post(
        "/crm/associations/v4/contacts/companies/labels",
        json={"label": "Buyer", "name": "buyer", "inverseLabel": "Vendor"},
    )
    assert response.status_code == 200
    ids = {r["label"]: r["typeId"] for r in response.json()["results"]}
    return ids["Buyer"], ids["Vendor"]


def _v4(portal: Portal, from_type: str, from_id: str, to_type: str) -> Any:
    response = portal.get(f"/crm/v4/objects/{from_type}/{from_id}/associations/{to_type}")
    assert response.status_code == 200
    return response.json()


def _embedded(portal: Portal, from_type: str, from_id: str, to_type: str) -> Any:
    response = portal.get(f"/crm/v3/objects/{from_type}/{from_id}?associations={to_type}")
    assert response.status_code == 200
    return response.json().get("associations")


def _batch_read(portal: Portal, from_type: str, to_type: str, ids: list[str]) -> Any:
    response = portal.post(
        f"/crm/v4/associations/{from_type}/{to_type}/batch/read",
        json={"inputs": [{"id": i} for i in ids]},
    )
    return response.status_code, response.json()


def test_create_with_associations_reads_like_a_v4_put(portal: Portal) -> None:
    forward, _ = _create_label(portal)
    [company] = portal.create_records("companies", 1)
    types = [_spec(1), _spec(forward, "USER_DEFINED")]
    created = portal.post(
        "/crm/v3/objects/contacts",
        json={"properties": {}, "associations": [{"to": {"id": company}, "types": types}]},
    )
    assert created.status_code == 201
    by_create = created.json()["id"]
    [by_put] = portal.create_records("contacts", 1)
    put = portal.put(
        f"/crm/v4/objects/contacts/{by_put}/associations/companies/{company}", json=types
    )
    assert put.status_code == 201

    one, other = (
        _v4(portal, "contacts", by_create, "companies"),
        _v4(portal, "contacts", by_put, "companies"),
    )
    assert one == other
    assert one["results"][0]["associationTypes"] == [
        {"category": "HUBSPOT_DEFINED", "typeId": 279, "label": None},
        {"category": "HUBSPOT_DEFINED", "typeId": 1, "label": "Primary"},
        {"category": "USER_DEFINED", "typeId": forward, "label": "Buyer"},
    ]
    assert _embedded(portal, "contacts", by_create, "companies") == _embedded(
        portal, "contacts", by_put, "companies"
    )
    back = _v4(portal, "companies", company, "contacts")["results"]
    assert [r["toObjectId"] for r in back] == sorted([int(by_create), int(by_put)])
    assert back[0]["associationTypes"] == back[1]["associationTypes"]


def test_batch_archive_hides_associations_everywhere_and_restore_brings_them_back(
    portal: Portal,
) -> None:
    forward, inverse = _create_label(portal)
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    put = portal.put(
        f"/crm/v4/objects/contacts/{contact}/associations/companies/{company}",
        json=[_spec(forward, "USER_DEFINED")],
    )
    assert put.status_code == 201
    limit = portal.post(
        "/crm/associations/v4/definitions/configurations/companies/contacts/batch/create",
        json={"inputs": [{"category": "USER_DEFINED", "typeId": inverse, "maxToObjectIds": 1}]},
    )
    assert limit.status_code == 201
    before = (
        _v4(portal, "companies", company, "contacts"),
        _embedded(portal, "companies", company, "contacts"),
        _batch_read(portal, "companies", "contacts", [company]),
    )
    assert before[0]["results"][0]["associationTypes"][-1]["label"] == "Vendor"
    assert {"id": contact, "type": "buyer"} in before[1]["contacts"]["results"]
    assert before[2][0] == 200

    archive = portal.post(
        "/crm/v3/objects/contacts/batch/archive", json={"inputs": [{"id": contact}]}
    )
    assert archive.status_code == 204
    assert _v4(portal, "companies", company, "contacts") == {"results": []}
    assert _embedded(portal, "companies", company, "contacts") is None
    status, body = _batch_read(portal, "companies", "contacts", [company])
    assert status == 207
    assert body["results"] == []
    assert body["errors"][0]["subCategory"] == "crm.associations.NO_ASSOCIATIONS_FOUND"
    portal.post("/crm/v4/associations/usage/high-usage-report/7")
    assert portal.get("/_hubgraph/reports/high-usage/7").json()["records"] == []

    restored = portal.post(f"/_hubgraph/objects/contacts/{contact}/restore")
    assert restored.status_code == 200
    after = (
        _v4(portal, "companies", company, "contacts"),
        _embedded(portal, "companies", company, "contacts"),
        _batch_read(portal, "companies", "contacts", [company]),
    )
    assert after[0] == before[0]
    assert after[1] == before[1]
    assert after[2][0] == 200
    assert after[2][1]["results"] == before[2][1]["results"]
    portal.post("/crm/v4/associations/usage/high-usage-report/7")
    [record] = portal.get("/_hubgraph/reports/high-usage/7").json()["records"]
    assert (record["objectId"], record["typeId"]) == (int(company), inverse)


def test_another_portals_labels_never_show(portal: Portal, other_portal: Portal) -> None:
    forward, _ = _create_label(portal)
    [contact] = other_portal.create_records("contacts", 1)
    [company] = other_portal.create_records("companies", 1)
    labels = other_portal.get("/crm/associations/v4/contacts/companies/labels").json()["results"]
    assert all(label["category"] == "HUBSPOT_DEFINED" for label in labels)
    put = other_portal.put(
        f"/crm/v4/objects/contacts/{contact}/associations/companies/{company}",
        json=[_spec(forward, "USER_DEFINED")],
    )
    assert put.status_code == 400
    assert put.json()["context"]["INVALID_ASSOCIATION_TYPE_ID"] == [
        f"USER_DEFINED={forward} is not a valid association definition id"
    ]
    assert other_portal.get("/crm/associations/v4/definitions/configurations/all").json() == {
        "results": []
    }
