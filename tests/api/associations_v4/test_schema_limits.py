"""``…/definitions/configurations/…``: custom association limits (configuration side)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hubgraph.services.context import Services
from tests.support.association_schema import (
    PREFIXES,
    configurations_url,
    create_label,
    purge,
    set_limits,
)
from tests.support.portals import Portal, new_portal

HD, UD = "HUBSPOT_DEFINED", "USER_DEFINED"


def all_limits(portal: Portal, prefix: str = PREFIXES[1]) -> list[dict]:  # type: ignore[type-arg]
    response = portal.get(f"{prefix}/definitions/configurations/all")
    assert response.status_code == 200, response.text
    results: list[dict] = response.json()["results"]  # type: ignore[type-arg]
    return results


@pytest.mark.parametrize("prefix", PREFIXES)
def test_create_answers_201_and_the_limits_are_listed(portal: Portal, prefix: str) -> None:
    url = configurations_url("deals", "contacts", "create", prefix)
    response = portal.post(
        url, json={"inputs": [{"category": HD, "typeId": 3, "maxToObjectIds": 5}]}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "COMPLETE"
    assert body["results"] == [
        {"category": HD, "typeId": 3, "label": None, "userEnforcedMaxToObjectIds": 5}
    ]
    assert "errors" not in body
    expected = [{"category": HD, "typeId": 3, "label": None, "userEnforcedMaxToObjectIds": 5}]
    assert all_limits(portal, prefix) == expected
    pair = portal.get(configurations_url("deals", "contacts", prefix=prefix))
    assert pair.status_code == 200
    assert pair.json() == {"results": expected}
    assert portal.get(configurations_url("contacts", "deals", prefix=prefix)).json() == {
        "results": []
    }


def test_nothing_is_listed_before_a_limit_is_set(portal: Portal) -> None:
    assert all_limits(portal) == []


def test_limits_are_per_portal(portal: Portal, other_portal: Portal) -> None:
    assert set_limits(portal, "contacts", "companies", [(HD, 279, 7)]).status_code == 201
    assert all_limits(other_portal) == []


def test_label_limits_carry_the_label_text(portal: Portal) -> None:
    created = create_label(portal, "contacts", "companies", "decider", "Decision maker")
    forward = min(r["typeId"] for r in created)
    response = set_limits(portal, "contacts", "companies", [(UD, forward, 1), (HD, 1, 1)])
    assert response.status_code == 201
    assert {(r["category"], r["typeId"], r["label"]) for r in response.json()["results"]} == {
        (UD, forward, "Decision maker"),
        (HD, 1, "Primary"),
    }


def test_all_lists_every_pair(portal: Portal) -> None:
    set_limits(portal, "contacts", "companies", [(HD, 279, 10)])
    set_limits(portal, "companies", "contacts", [(HD, 280, 20)])
    set_limits(portal, "contacts", "contacts", [(HD, 449, 30)])
    assert sorted(r["userEnforcedMaxToObjectIds"] for r in all_limits(portal)) == [10, 20, 30]


def test_update_answers_200_without_label(portal: Portal) -> None:
    set_limits(portal, "contacts", "companies", [(HD, 279, 10)])
    response = set_limits(portal, "contacts", "companies", [(HD, 279, 12)], op="update")
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"category": HD, "typeId": 279, "userEnforcedMaxToObjectIds": 12}
    ]
    assert all_limits(portal)[0]["userEnforcedMaxToObjectIds"] == 12


def test_create_of_an_existing_limit_and_update_of_a_missing_one_are_item_errors(
    portal: Portal,
) -> None:
    set_limits(portal, "contacts", "companies", [(HD, 279, 10)])
    again = set_limits(portal, "contacts", "companies", [(HD, 279, 11), (HD, 931, 3)])
    assert again.status_code == 207
    body = again.json()
    assert [r["typeId"] for r in body["results"]] == [931]
    assert body["numErrors"] == 1
    assert "batch/update" in body["errors"][0]["message"]
    missing = set_limits(portal, "contacts", "companies", [(HD, 1, 1)], op="update")
    assert missing.status_code == 207
    assert missing.json()["results"] == []
    assert "batch/create" in missing.json()["errors"][0]["message"]
    assert {(r["typeId"], r["userEnforcedMaxToObjectIds"]) for r in all_limits(portal)} == {
        (279, 10),
        (931, 3),
    }


@pytest.mark.parametrize(
    ("category", "type_id"),
    [(HD, 280), (HD, 4), (UD, 279), ("INTEGRATOR_DEFINED", 279), ("WORK", 279), (HD, 99999)],
)
def test_types_not_of_the_pair_are_item_errors(portal: Portal, category: str, type_id: int) -> None:
    response = set_limits(portal, "contacts", "companies", [(category, type_id, 5), (HD, 279, 5)])
    assert response.status_code == 207
    body = response.json()
    assert [r["typeId"] for r in body["results"]] == [279]
    [error] = body["errors"]
    assert error["status"] == "error"
    assert error["category"] == "VALIDATION_ERROR"
    assert error["context"]["associationSpec"] == [f"{category}={type_id}"]
    assert len(all_limits(portal)) == 1


@pytest.mark.parametrize("value", [0, -1, 10_001, 2**31 - 1])
def test_limits_range_from_1_to_10000(portal: Portal, value: int) -> None:
    response = set_limits(portal, "contacts", "companies", [(HD, 279, value)])
    assert response.status_code == 207
    error = response.json()["errors"][0]
    assert "between 1 and 10000" in error["message"]
    assert error["context"]["allowedRange"] == ["1", "10000"]
    assert all_limits(portal) == []


@pytest.mark.parametrize("value", [1, 10_000])
def test_the_bounds_themselves_are_accepted(portal: Portal, value: int) -> None:
    assert set_limits(portal, "contacts", "companies", [(HD, 279, value)]).status_code == 201


def test_a_label_limit_cannot_exceed_the_unlabeled_limit(portal: Portal) -> None:
    set_limits(portal, "contacts", "companies", [(HD, 279, 10)])
    response = set_limits(portal, "contacts", "companies", [(HD, 1, 11)])
    assert response.status_code == 207
    error = response.json()["errors"][0]
    assert "between 1 and 10" in error["message"]
    assert error["context"]["allowedRange"] == ["1", "10"]
    assert set_limits(portal, "contacts", "companies", [(HD, 1, 10)]).status_code == 201


def test_the_unlabeled_limit_cannot_go_below_a_label_limit(portal: Portal) -> None:
    created = create_label(portal, "contacts", "companies", "decider", "Decision maker")
    forward = min(r["typeId"] for r in created)
    set_limits(portal, "contacts", "companies", [(UD, forward, 10)])
    response = set_limits(portal, "contacts", "companies", [(HD, 279, 9)])
    assert response.status_code == 207
    error = response.json()["errors"][0]
    assert "between 10 and 10000" in error["message"]
    assert error["context"]["allowedRange"] == ["10", "10000"]
    assert set_limits(portal, "contacts", "companies", [(HD, 279, 10)]).status_code == 201
    lowered = set_limits(portal, "contacts", "companies", [(UD, forward, 11)], op="update")
    assert lowered.json()["errors"][0]["context"]["allowedRange"] == ["1", "10"]


def test_the_other_direction_has_its_own_limits(portal: Portal) -> None:
    set_limits(portal, "contacts", "companies", [(HD, 279, 2)])
    # company→primary contact is not bounded by contact→company's unlabeled limit.
    assert set_limits(portal, "companies", "contacts", [(HD, 2, 50)]).status_code == 201


def test_inputs_of_one_batch_see_the_ones_before_them(portal: Portal) -> None:
    response = set_limits(
        portal, "contacts", "companies", [(HD, 279, 10), (HD, 1, 11), (HD, 931, 10)]
    )
    assert response.status_code == 207
    body = response.json()
    assert [r["typeId"] for r in body["results"]] == [279, 931]
    assert body["errors"][0]["context"]["allowedRange"] == ["1", "10"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_purge_answers_204_and_removes_limits(portal: Portal, prefix: str) -> None:
    set_limits(portal, "contacts", "companies", [(HD, 279, 10), (HD, 1, 1)])
    response = portal.post(
        configurations_url("contacts", "companies", "purge", prefix),
        json={"inputs": [{"category": HD, "typeId": 279}]},
    )
    assert response.status_code == 204
    assert response.content == b""
    assert [r["typeId"] for r in all_limits(portal)] == [1]


def test_purge_ignores_types_without_a_limit(portal: Portal) -> None:
    set_limits(portal, "contacts", "companies", [(HD, 279, 10)])
    response = purge(portal, "contacts", "companies", [(HD, 931), ("NOPE", 1), (UD, 279)])
    assert response.status_code == 204
    assert len(all_limits(portal)) == 1
    # The pair in the path matters: the same type on another path is not touched.
    assert purge(portal, "companies", "contacts", [(HD, 279)]).status_code == 204
    assert len(all_limits(portal)) == 1


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{}",
        b'{"inputs": [{"category": "HUBSPOT_DEFINED", "typeId": 279}]}',
        b'{"inputs": [{"category": "MADE_UP", "typeId": 279, "maxToObjectIds": 1}]}',
        b'{"inputs": [{"category": "HUBSPOT_DEFINED", "typeId": "x", "maxToObjectIds": 1}]}',
        b'{"inputs": [{"category": "WORK", "typeId": 1, "maxToObjectIds": 3000000000}]}',
    ],
)
def test_malformed_batches_are_400(portal: Portal, body: bytes) -> None:
    response = portal.post(
        configurations_url("contacts", "companies", "create"),
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_unknown_object_types_are_400(portal: Portal) -> None:
    response = set_limits(portal, "contacts", "widgets", [(HD, 279, 1)])
    assert response.status_code == 400
    assert response.json()["message"] == "Unable to infer object type from: widgets"
    assert portal.get(configurations_url("widgets", "contacts")).status_code == 400


def test_too_many_inputs_is_400(portal: Portal) -> None:
    response = set_limits(portal, "contacts", "companies", [(HD, 279, 1)] * 2001)
    assert response.status_code == 400
    assert "2000" in response.json()["message"]


def test_scopes(services: Services, client: TestClient) -> None:
    reader = new_portal(services, client, scopes=["crm.objects.contacts.read"])
    assert reader.get(configurations_url("contacts", "companies")).status_code == 200
    assert reader.get("/crm/v4/associations/definitions/configurations/all").status_code == 200
    assert reader.get(configurations_url("companies", "contacts")).status_code == 403
    for op in ("create", "update"):
        assert set_limits(reader, "contacts", "companies", [(HD, 279, 1)], op).status_code == 403
    assert purge(reader, "contacts", "companies", [(HD, 279)]).status_code == 403
    writer = new_portal(services, client, scopes=["crm.objects.companies.write"])
    assert set_limits(writer, "contacts", "companies", [(HD, 279, 1)]).status_code == 201
    nobody = new_portal(services, client, scopes=["oauth"])
    response = nobody.get("/crm/v4/associations/definitions/configurations/all")
    assert response.status_code == 403
    assert response.json()["category"] == "MISSING_SCOPES"


def test_configuration_routes_are_not_taken_for_object_pairs(portal: Portal) -> None:
    # "definitions"/"configurations" would be unknown object types if the routes collided.
    assert portal.get("/crm/v4/associations/definitions/configurations/all").status_code == 200
    assert portal.get("/crm/associations/v4/definitions/configurations/all").status_code == 200
    assert portal.get(configurations_url("contacts", "companies")).status_code == 200
