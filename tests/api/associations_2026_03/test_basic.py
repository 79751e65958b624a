"""/crm/objects/2026-03/{objectType}/{objectId}/associations/..."""

from __future__ import annotations

from tests.support.associations_2026_03 import DATED_OBJECTS, V4_OBJECTS, to_ids
from tests.support.portals import Portal


def test_put_default_answers_200_both_directions_and_v4_reads_it(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    response = portal.put(
        f"{DATED_OBJECTS}/contacts/{contact}/associations/default/companies/{company}"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "COMPLETE"
    assert {r["associationSpec"]["associationTypeId"] for r in body["results"]} == {279, 280}
    assert to_ids(portal, V4_OBJECTS, "companies", company, "contacts") == {int(contact)}


def test_put_labelled_answers_201_labels_between_object_pair(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    response = portal.put(
        f"{DATED_OBJECTS}/contacts/{contact}/associations/companies/{company}",
        json=[{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}],
    )
    assert response.status_code == 201
    body = response.json()
    assert body["fromObjectId"] == int(contact)
    assert body["toObjectId"] == int(company)
    assert body["fromObjectTypeId"] == "0-1"
    assert "Primary" in body["labels"]
    v4 = portal.get(f"{V4_OBJECTS}/contacts/{contact}/associations/companies").json()
    [association] = v4["results"]
    assert {t["typeId"] for t in association["associationTypes"]} == {1, 279}


def test_get_page_sees_what_v4_wrote_and_pages_as_v4(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    companies = portal.create_records("companies", 3)
    for company in companies:
        v4 = portal.put(f"{V4_OBJECTS}/contacts/{contact}/associations/default/companies/{company}")
        assert v4.status_code == 200
    url = f"{DATED_OBJECTS}/contacts/{contact}/associations/companies"
    first = portal.get(url, params={"limit": 2})
    assert first.status_code == 200
    assert (
        first.json()
        == portal.get(
            f"{V4_OBJECTS}/contacts/{contact}/associations/companies", params={"limit": 2}
        ).json()
    )
    after = first.json()["paging"]["next"]["after"]
    rest = portal.get(url, params={"limit": 2, "after": after}).json()
    assert "paging" not in rest
    assert to_ids(portal, DATED_OBJECTS, "contacts", contact, "companies") == {
        int(c) for c in companies
    }


def test_delete_answers_204_and_v4_sees_it_gone(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    portal.put(f"{V4_OBJECTS}/contacts/{contact}/associations/default/companies/{company}")
    response = portal.delete(f"{DATED_OBJECTS}/contacts/{contact}/associations/companies/{company}")
    assert response.status_code == 204
    assert response.content == b""
    assert to_ids(portal, V4_OBJECTS, "contacts", contact, "companies") == set()
    assert to_ids(portal, V4_OBJECTS, "companies", company, "contacts") == set()


def test_bad_input_is_hubspots_error_envelope(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    bad_body = portal.put(
        f"{DATED_OBJECTS}/contacts/{contact}/associations/companies/1", json={"not": "a list"}
    )
    assert bad_body.status_code == 400
    assert bad_body.json()["category"] == "VALIDATION_ERROR"
    unknown = portal.get(f"{DATED_OBJECTS}/widgets/{contact}/associations/companies")
    v4 = portal.get(f"{V4_OBJECTS}/widgets/{contact}/associations/companies")
    assert unknown.status_code == v4.status_code
    assert unknown.status_code >= 400
    assert unknown.json()["message"] == v4.json()["message"]


def test_the_search_operation_is_v3s_search(portal: Portal) -> None:
    """The spec's record search, answered as objects v3's (docs/compat.md "CRM search")."""
    response = portal.post(f"{DATED_OBJECTS}/contacts/search", json={})
    assert response.status_code == 200
    assert response.json() == portal.post("/crm/v3/objects/contacts/search", json={}).json()
