"""/crm/associations/2026-03/{from}/{to}/labels and .../definitions/configurations/..."""

from __future__ import annotations

from typing import Any

from tests.support.associations_2026_03 import DATED, V4_SCHEMA, assert_completed_batch
from tests.support.portals import Portal

HD = "HUBSPOT_DEFINED"
CONFIGURATIONS = "/definitions/configurations"


def labels(portal: Portal, prefix: str) -> dict[int, Any]:
    """USER_DEFINED typeId -> label (USER_DEFINED ids overlap HubSpot's, reference §4.2)."""
    response = portal.get(f"{prefix}/contacts/companies/labels")
    assert response.status_code == 200, response.text
    return {
        t["typeId"]: t["label"]
        for t in response.json()["results"]
        if t["category"] == "USER_DEFINED"
    }


def limits(portal: Portal, prefix: str, pair: str = "/contacts/companies") -> list[Any]:
    response = portal.get(f"{prefix}{CONFIGURATIONS}{pair}")
    assert response.status_code == 200, response.text
    results: list[Any] = response.json()["results"]
    return results


def test_label_lifecycle_through_2026_03_is_seen_by_v4(portal: Portal) -> None:
    url = f"{DATED}/contacts/companies/labels"
    created = portal.post(url, json={"name": "champion", "label": "Champion"})
    assert created.status_code == 200
    results = created.json()["results"]
    assert {(r["category"], r["label"]) for r in results} == {("USER_DEFINED", "Champion")}
    [type_id] = {r["typeId"] for r in results} & labels(portal, V4_SCHEMA).keys()
    assert labels(portal, V4_SCHEMA)[type_id] == "Champion"
    assert labels(portal, DATED) == labels(portal, V4_SCHEMA)
    updated = portal.put(url, json={"associationTypeId": type_id, "label": "Sponsor"})
    assert updated.status_code == 204
    assert labels(portal, V4_SCHEMA)[type_id] == "Sponsor"
    deleted = portal.delete(f"{url}/{type_id}")
    assert deleted.status_code == 204
    assert type_id not in labels(portal, V4_SCHEMA)


def test_labels_created_in_v4_are_listed_and_deleted_through_2026_03(portal: Portal) -> None:
    created = portal.post(
        f"{V4_SCHEMA}/contacts/companies/labels", json={"name": "buyer", "label": "Buyer"}
    )
    [type_id] = {r["typeId"] for r in created.json()["results"]} & labels(portal, DATED).keys()
    assert labels(portal, DATED)[type_id] == "Buyer"
    deleted = portal.delete(f"{DATED}/contacts/companies/labels/{type_id}")
    assert deleted.status_code == 204
    assert type_id not in labels(portal, V4_SCHEMA)


def test_bad_label_bodies_are_400(portal: Portal) -> None:
    response = portal.post(f"{DATED}/contacts/companies/labels", json={"label": 3})
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_limit_configurations_create_update_list_as_v4(portal: Portal) -> None:
    base = f"{DATED}{CONFIGURATIONS}/contacts/companies/batch"
    created = portal.post(
        f"{base}/create", json={"inputs": [{"category": HD, "typeId": 279, "maxToObjectIds": 5}]}
    )
    assert created.status_code == 201
    assert created.json()["results"] == [
        {"category": HD, "typeId": 279, "label": None, "userEnforcedMaxToObjectIds": 5}
    ]
    updated = portal.post(
        f"{base}/update", json={"inputs": [{"category": HD, "typeId": 279, "maxToObjectIds": 7}]}
    )
    assert updated.status_code == 200
    assert limits(portal, V4_SCHEMA) == limits(portal, DATED)
    [limit] = limits(portal, DATED)
    assert limit["userEnforcedMaxToObjectIds"] == 7
    every = portal.get(f"{DATED}{CONFIGURATIONS}/all")
    assert every.status_code == 200
    assert every.json() == portal.get(f"{V4_SCHEMA}{CONFIGURATIONS}/all").json()
    duplicate = portal.post(
        f"{base}/create", json={"inputs": [{"category": HD, "typeId": 279, "maxToObjectIds": 5}]}
    )
    assert duplicate.status_code == 207


def test_purge_answers_200_with_a_batch_response_where_v4_answers_204(portal: Portal) -> None:
    inputs = {"inputs": [{"category": HD, "typeId": 279, "maxToObjectIds": 5}]}
    v4 = portal.post(f"{V4_SCHEMA}{CONFIGURATIONS}/contacts/companies/batch/create", json=inputs)
    assert v4.status_code == 201
    response = portal.post(
        f"{DATED}{CONFIGURATIONS}/contacts/companies/batch/purge",
        json={"inputs": [{"category": HD, "typeId": 279}]},
    )
    assert_completed_batch(response)
    assert limits(portal, V4_SCHEMA) == []
    v4_purge = portal.post(
        f"{V4_SCHEMA}{CONFIGURATIONS}/contacts/companies/batch/purge",
        json={"inputs": [{"category": HD, "typeId": 279}]},
    )
    assert v4_purge.status_code == 204


def test_bad_purge_bodies_are_400(portal: Portal) -> None:
    response = portal.post(
        f"{DATED}{CONFIGURATIONS}/contacts/companies/batch/purge", json={"inputs": [{"x": 1}]}
    )
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
