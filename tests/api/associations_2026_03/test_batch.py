"""POST /crm/associations/2026-03/{fromObjectType}/{toObjectType}/batch/..."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.associations_2026_03 import (
    DATED,
    DATED_OBJECTS,
    V4,
    V4_OBJECTS,
    assert_completed_batch,
    to_ids,
)
from tests.support.portals import Portal


def pairs_body(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {"inputs": [{"from": {"id": f}, "to": {"id": t}} for f, t in pairs]}


def labelled_body(from_id: str, to_id: str, *type_ids: int) -> dict[str, Any]:
    types = [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": t} for t in type_ids]
    return {"inputs": [{"from": {"id": from_id}, "to": {"id": to_id}, "types": types}]}


def test_associate_default_answers_200_and_v4_reads_it(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    response = portal.post(
        f"{DATED}/contacts/companies/batch/associate/default", json=pairs_body((contact, company))
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "COMPLETE"
    assert {(r["from"]["id"], r["to"]["id"]) for r in body["results"]} == {
        (contact, company),
        (company, contact),
    }
    assert to_ids(portal, V4_OBJECTS, "contacts", contact, "companies") == {int(company)}


def test_create_answers_201_and_207_as_v4(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    url = f"{DATED}/contacts/companies/batch/create"
    created = portal.post(url, json=labelled_body(contact, company, 1))
    assert created.status_code == 201
    results = created.json()["results"]
    [forward] = [r for r in results if r["fromObjectId"] == int(contact)]
    assert forward["toObjectId"] == int(company)
    assert "Primary" in forward["labels"]
    missing = portal.post(url, json=labelled_body(contact, "424242424242", 279))
    assert missing.status_code == 207
    assert missing.json()["numErrors"] == 1
    assert to_ids(portal, V4_OBJECTS, "companies", company, "contacts") == {int(contact)}


def test_read_sees_what_v4_wrote_and_207_for_the_unassociated(portal: Portal) -> None:
    contact, lonely = portal.create_records("contacts", 2)
    [company] = portal.create_records("companies", 1)
    v4 = portal.post(
        f"{V4}/contacts/companies/batch/associate/default", json=pairs_body((contact, company))
    )
    assert v4.status_code == 200
    url = f"{DATED}/contacts/companies/batch/read"
    response = portal.post(url, json={"inputs": [{"id": contact}]})
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["from"] == {"id": contact}
    assert [t["toObjectId"] for t in result["to"]] == [int(company)]
    partial = portal.post(url, json={"inputs": [{"id": contact}, {"id": lonely}]})
    assert partial.status_code == 207
    assert partial.json()["numErrors"] == 1


def test_archive_answers_200_with_a_batch_response_and_v4_sees_it_gone(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    kept, gone = portal.create_records("companies", 2)
    portal.post(
        f"{V4}/contacts/companies/batch/associate/default",
        json=pairs_body((contact, kept), (contact, gone)),
    )
    response = portal.post(
        f"{DATED}/contacts/companies/batch/archive",
        json={"inputs": [{"from": {"id": contact}, "to": [{"id": gone}]}]},
    )
    assert_completed_batch(response)
    assert to_ids(portal, V4_OBJECTS, "contacts", contact, "companies") == {int(kept)}
    assert to_ids(portal, V4_OBJECTS, "companies", gone, "contacts") == set()


def test_archive_of_nothing_is_still_200(portal: Portal) -> None:
    body = {"inputs": [{"from": {"id": "1"}, "to": [{"id": "2"}]}]}
    assert_completed_batch(portal.post(f"{DATED}/contacts/companies/batch/archive", json=body))


def test_labels_archive_answers_200_and_removes_only_the_listed_type(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    created = portal.post(
        f"{V4}/contacts/companies/batch/create", json=labelled_body(contact, company, 279, 1)
    )
    assert created.status_code == 201
    response = portal.post(
        f"{DATED}/contacts/companies/batch/labels/archive",
        json=labelled_body(contact, company, 1),
    )
    assert_completed_batch(response)
    listed = portal.get(f"{DATED_OBJECTS}/contacts/{contact}/associations/companies").json()
    [association] = listed["results"]
    assert [t["typeId"] for t in association["associationTypes"]] == [279]


@pytest.mark.parametrize("op", ["archive", "labels/archive", "create", "read", "associate/default"])
def test_bad_bodies_are_hubspots_400(portal: Portal, op: str) -> None:
    response = portal.post(f"{DATED}/contacts/companies/batch/{op}", json={"inputs": "nope"})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "error"
    assert body["category"] == "VALIDATION_ERROR"


def test_labels_archive_of_a_foreign_type_is_400_and_removes_nothing(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    portal.post(
        f"{V4}/contacts/companies/batch/associate/default", json=pairs_body((contact, company))
    )
    response = portal.post(
        f"{DATED}/contacts/companies/batch/labels/archive",
        json=labelled_body(contact, company, 280),
    )
    assert response.status_code == 400
    assert to_ids(portal, V4_OBJECTS, "contacts", contact, "companies") == {int(company)}


def test_unknown_object_types_fail_as_in_v4(portal: Portal) -> None:
    body = {"inputs": [{"from": {"id": "1"}, "to": [{"id": "2"}]}]}
    dated = portal.post(f"{DATED}/widgets/companies/batch/archive", json=body)
    v4 = portal.post(f"{V4}/widgets/companies/batch/archive", json=body)
    assert dated.status_code == v4.status_code
    assert dated.status_code >= 400
    assert dated.json()["message"] == v4.json()["message"]
