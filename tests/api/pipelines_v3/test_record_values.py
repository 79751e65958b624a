"""Record writes check their pipeline, stage and owner values; deletes check usage on
request (``validateReferencesBeforeDelete`` / ``validateDealStageUsagesBeforeDelete``)."""

from __future__ import annotations

from typing import Any

import orjson

from tests.support.owners import create_owner
from tests.support.portals import Portal

PREFIX = "Property values were not valid: "


def _entries(body: dict[str, Any]) -> list[dict[str, Any]]:
    assert body["message"].startswith(PREFIX)
    entries: list[dict[str, Any]] = orjson.loads(body["message"][len(PREFIX) :])
    return entries


def test_a_deal_in_the_default_pipeline(portal: Portal) -> None:
    created = portal.post(
        "/crm/v3/objects/deals",
        json={
            "properties": {"dealname": "A", "pipeline": "default", "dealstage": "qualifiedtobuy"}
        },
    )
    assert created.status_code == 201
    moved = portal.request(
        "PATCH",
        f"/crm/v3/objects/deals/{created.json()['id']}",
        json={"properties": {"dealstage": "closedwon"}},
    )
    assert moved.status_code == 200


def test_a_stage_that_is_not_in_the_pipeline(portal: Portal) -> None:
    response = portal.post(
        "/crm/v3/objects/deals",
        json={"properties": {"dealname": "A", "pipeline": "default", "dealstage": "registered"}},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    (entry,) = _entries(body)
    assert entry == {
        "isValid": False,
        "message": "registered is not a valid pipeline stage ID. Valid options are: "
        "pipelineId=default : [appointmentscheduled, qualifiedtobuy, presentationscheduled, "
        "decisionmakerboughtin, contractsent, closedwon, closedlost]",
        "error": "INVALID_OPTION",
        "name": "dealstage",
        "localizedErrorMessage": entry["message"],
        "portalId": portal.id,
    }
    assert body["errors"] == [
        {
            "message": entry["message"],
            "code": "INVALID_OPTION",
            "context": {"propertyName": ["dealstage"]},
        }
    ]
    assert portal.get("/crm/v3/objects/deals").json()["results"] == []


def test_tickets_and_a_batch_fail_as_a_whole(portal: Portal) -> None:
    good = {"properties": {"subject": "ok", "hs_pipeline": "0", "hs_pipeline_stage": "1"}}
    bad = {"properties": {"subject": "bad", "hs_pipeline": "7", "hs_pipeline_stage": "1"}}
    response = portal.post("/crm/v3/objects/tickets/batch/create", json={"inputs": [good, bad]})
    assert response.status_code == 400
    (entry,) = _entries(response.json())
    assert (entry["name"], entry["error"]) == ("hs_pipeline", "INVALID_OPTION")
    assert portal.get("/crm/v3/objects/tickets").json()["results"] == []
    assert portal.post("/crm/v3/objects/tickets", json=good).status_code == 201


def test_moving_a_record_to_another_pipeline_needs_one_of_its_stages(portal: Portal) -> None:
    other = portal.post(
        "/crm/v3/pipelines/tickets",
        json={
            "label": "Escalations",
            "displayOrder": 1,
            "stages": [{"label": "Open", "displayOrder": 0, "metadata": {}}],
        },
    ).json()
    ticket = portal.post(
        "/crm/v3/objects/tickets",
        json={"properties": {"subject": "s", "hs_pipeline": "0", "hs_pipeline_stage": "2"}},
    ).json()
    path = f"/crm/v3/objects/tickets/{ticket['id']}"
    refused = portal.request("PATCH", path, json={"properties": {"hs_pipeline": other["id"]}})
    assert refused.status_code == 400
    assert _entries(refused.json())[0]["name"] == "hs_pipeline_stage"
    stage = other["stages"][0]["id"]
    moved = portal.request(
        "PATCH", path, json={"properties": {"hs_pipeline": other["id"], "hs_pipeline_stage": stage}}
    )
    assert moved.status_code == 200


def test_a_deleted_stage_cannot_be_used(portal: Portal) -> None:
    assert portal.delete("/crm/v3/pipelines/deals/default/stages/contractsent").status_code == 204
    response = portal.post(
        "/crm/v3/objects/deals",
        json={"properties": {"pipeline": "default", "dealstage": "contractsent"}},
    )
    assert response.status_code == 400


def test_owner_ids_name_owners_of_the_portal(portal: Portal, other_portal: Portal) -> None:
    mine = create_owner(portal, email="mine@example.com")
    # Ids come from each portal's own counter: the other portal's second owner has an id
    # that names nobody here.
    create_owner(other_portal, email="first@example.com")
    theirs = create_owner(other_portal, email="theirs@example.com")
    assert theirs["id"] != mine["id"]
    ok = portal.post(
        "/crm/v3/objects/contacts", json={"properties": {"hubspot_owner_id": mine["id"]}}
    )
    assert ok.status_code == 201
    cleared = portal.request(
        "PATCH",
        f"/crm/v3/objects/contacts/{ok.json()['id']}",
        json={"properties": {"hubspot_owner_id": ""}},
    )
    assert cleared.status_code == 200
    foreign = portal.post(
        "/crm/v3/objects/contacts", json={"properties": {"hubspot_owner_id": theirs["id"]}}
    )
    assert foreign.status_code == 400
    (entry,) = _entries(foreign.json())
    assert entry["error"] == "INVALID_OPTION"
    assert entry["message"] == f"{theirs['id']} was not one of the allowed options: [{mine['id']}]"
    garbage = portal.post(
        "/crm/v3/objects/contacts", json={"properties": {"hubspot_owner_id": "29947847357121"}}
    )
    (entry,) = _entries(garbage.json())
    assert entry["error"] == "INVALID_INTEGER"
    assert entry["message"] == "29947847357121 was not a valid integer (for owner ID)."


def test_every_invalid_value_is_listed(portal: Portal) -> None:
    response = portal.post(
        "/crm/v3/objects/deals",
        json={"properties": {"pipeline": "default", "dealstage": "x", "hubspot_owner_id": "5"}},
    )
    assert [e["name"] for e in _entries(response.json())] == ["dealstage", "hubspot_owner_id"]


def test_deleting_a_stage_in_use_is_refused_only_when_asked(portal: Portal) -> None:
    deal = portal.post(
        "/crm/v3/objects/deals",
        json={"properties": {"pipeline": "default", "dealstage": "closedlost"}},
    ).json()
    stage = "/crm/v3/pipelines/deals/default/stages/closedlost"
    refused = portal.delete(f"{stage}?validateReferencesBeforeDelete=true")
    assert refused.status_code == 400
    body = refused.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert body["context"] == {"objectIds": [deal["id"]]}
    pipeline = "/crm/v3/pipelines/deals/default"
    assert portal.delete(f"{pipeline}?validateDealStageUsagesBeforeDelete=true").status_code == 400
    assert portal.get(stage).status_code == 200
    assert portal.delete(stage).status_code == 204
    assert portal.get(f"/crm/v3/objects/deals/{deal['id']}").status_code == 200


def test_a_put_that_drops_a_stage_in_use_is_refused_when_asked(portal: Portal) -> None:
    portal.post(
        "/crm/v3/objects/tickets",
        json={"properties": {"subject": "s", "hs_pipeline": "0", "hs_pipeline_stage": "4"}},
    )
    body = {
        "label": "Support Pipeline",
        "displayOrder": 0,
        "stages": [{"stageId": "1", "label": "New", "displayOrder": 0, "metadata": {}}],
    }
    path = "/crm/v3/pipelines/tickets/0"
    assert portal.put(f"{path}?validateReferencesBeforeDelete=true", json=body).status_code == 400
    assert len(portal.get(f"{path}/stages").json()["results"]) == 4
    assert portal.put(path, json=body).status_code == 200
    assert [s["id"] for s in portal.get(f"{path}/stages").json()["results"]] == ["1"]
