"""/crm/v3/objects/{objectType} and /crm/v3/objects/{objectType}/{objectId}"""

from __future__ import annotations

import pytest

from tests.support.portals import Portal


def test_create_returns_201_and_hubspots_object_shape(portal: Portal) -> None:
    response = portal.post(
        "/crm/v3/objects/contacts",
        json={"properties": {"email": "a@example.com", "annualrevenue": 42}},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"].isdigit()
    assert body["archived"] is False
    assert body["properties"]["email"] == "a@example.com"
    assert body["properties"]["annualrevenue"] == "42"
    assert body["properties"]["hs_object_id"] == body["id"]
    assert body["createdAt"] == body["updatedAt"] == body["properties"]["createdate"]
    assert body["properties"]["lastmodifieddate"] == body["updatedAt"]
    assert body["properties"]["hs_lastmodifieddate"] == body["updatedAt"]


def test_booleans_sent_as_json_read_back_as_strings(portal: Portal) -> None:
    response = portal.post("/crm/v3/objects/companies", json={"properties": {"is_public": True}})
    assert response.status_code == 201
    assert response.json()["properties"]["is_public"] == "true"


def test_get_by_id_and_requested_properties(portal: Portal) -> None:
    created = portal.post(
        "/crm/v3/objects/companies", json={"properties": {"name": "Acme", "domain": "acme.io"}}
    ).json()
    got = portal.get(f"/crm/v3/objects/companies/{created['id']}")
    assert got.status_code == 200
    assert got.json() == created
    only = portal.get(f"/crm/v3/objects/company/{created['id']}?properties=name,missing").json()
    assert only["properties"]["name"] == "Acme"
    assert only["properties"]["missing"] is None
    assert "domain" not in only["properties"]
    multi = portal.get(
        f"/crm/v3/objects/0-2/{created['id']}?properties=name&properties=domain"
    ).json()
    assert multi["properties"]["domain"] == "acme.io"


@pytest.mark.parametrize("object_id", ["999999", "abc", "-1"])
def test_get_missing_is_404_object_not_found(portal: Portal, object_id: str) -> None:
    response = portal.get(f"/crm/v3/objects/contacts/{object_id}")
    assert response.status_code == 404
    assert response.json()["category"] == "OBJECT_NOT_FOUND"


def test_get_as_another_type_is_404(portal: Portal) -> None:
    [c] = portal.create_records("contacts", 1)
    assert portal.get(f"/crm/v3/objects/companies/{c}").status_code == 404


def test_delete_archives(portal: Portal) -> None:
    [c] = portal.create_records("contacts", 1)
    assert portal.delete(f"/crm/v3/objects/contacts/{c}").status_code == 204
    assert portal.get(f"/crm/v3/objects/contacts/{c}").status_code == 404
    archived = portal.get(f"/crm/v3/objects/contacts/{c}?archived=true")
    assert archived.status_code == 200
    assert archived.json()["archived"] is True
    assert "archivedAt" in archived.json()
    assert portal.delete(f"/crm/v3/objects/contacts/{c}").status_code == 204


def test_list_pages_through_every_record_once(portal: Portal) -> None:
    ids = portal.create_records("deals", 25)
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        url = "/crm/v3/objects/deals?limit=10" + (f"&after={after}" if after else "")
        body = portal.get(url).json()
        seen += [r["id"] for r in body["results"]]
        pages += 1
        if "paging" not in body:
            break
        after = body["paging"]["next"]["after"]
    assert seen == ids
    assert pages == 3


def test_list_hides_archived_unless_asked(portal: Portal) -> None:
    [a, b] = portal.create_records("tickets", 2)
    portal.delete(f"/crm/v3/objects/tickets/{a}")
    assert [r["id"] for r in portal.get("/crm/v3/objects/tickets").json()["results"]] == [b]
    assert [
        r["id"] for r in portal.get("/crm/v3/objects/tickets?archived=true").json()["results"]
    ] == [a]


@pytest.mark.parametrize("limit", ["0", "101", "-3"])
def test_list_limit_out_of_range_is_400(portal: Portal, limit: str) -> None:
    assert portal.get(f"/crm/v3/objects/contacts?limit={limit}").status_code == 400


def test_unknown_object_type_is_400(portal: Portal) -> None:
    response = portal.post("/crm/v3/objects/widgets", json={"properties": {}})
    assert response.status_code == 400
    assert response.json()["message"] == "Unable to infer object type from: widgets"


def test_records_are_per_portal(portal: Portal, other_portal: Portal) -> None:
    [c] = portal.create_records("contacts", 1)
    assert other_portal.get(f"/crm/v3/objects/contacts/{c}").status_code == 404
    assert other_portal.get("/crm/v3/objects/contacts").json()["results"] == []
    other_portal.delete(f"/crm/v3/objects/contacts/{c}")
    assert portal.get(f"/crm/v3/objects/contacts/{c}").status_code == 200
