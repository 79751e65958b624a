"""``/crm/v3/pipelines/{objectType}`` and ``…/{pipelineId}``: defaults, CRUD, audits."""

from __future__ import annotations

from typing import Any

from hubgraph.services.access import portals
from hubgraph.services.context import Services
from tests.support.portals import Portal

TICKET_PIPELINE = {
    "label": "My ticket pipeline",
    "displayOrder": 1,
    "stages": [
        {"label": "In Progress", "displayOrder": 0, "metadata": {"ticketState": "OPEN"}},
        {"label": "Done", "displayOrder": 1, "metadata": {"ticketState": "CLOSED"}},
    ],
}


def _patch(portal: Portal, path: str, body: dict[str, Any]) -> Any:
    return portal.request("PATCH", path, json=body)


def test_every_portal_starts_with_the_default_pipelines(portal: Portal) -> None:
    (deals,) = portal.get("/crm/v3/pipelines/deals").json()["results"]
    assert (deals["id"], deals["label"], deals["archived"]) == ("default", "Sales Pipeline", False)
    assert deals["createdAt"] == "1970-01-01T00:00:00.000Z"
    assert deals["stages"][0] == {
        "label": "Appointment Scheduled",
        "displayOrder": 0,
        "metadata": {"isClosed": "false", "probability": "0.2"},
        "id": "appointmentscheduled",
        "createdAt": "1970-01-01T00:00:00.000Z",
        "updatedAt": "1970-01-01T00:00:00.000Z",
        "archived": False,
        "writePermissions": "CRM_PERMISSIONS_ENFORCEMENT",
    }
    (tickets,) = portal.get("/crm/v3/pipelines/0-5").json()["results"]
    assert tickets["id"] == "0"
    assert [s["id"] for s in tickets["stages"]] == ["1", "2", "3", "4"]


def test_create_get_and_list_in_display_order(portal: Portal) -> None:
    response = portal.post("/crm/v3/pipelines/tickets", json=TICKET_PIPELINE)
    assert response.status_code == 201
    created = response.json()
    assert response.headers["location"].endswith(f"/crm/v3/pipelines/tickets/{created['id']}")
    assert [s["label"] for s in created["stages"]] == ["In Progress", "Done"]
    assert created["stages"][1]["metadata"] == {"ticketState": "CLOSED", "isClosed": "true"}
    assert portal.get(f"/crm/v3/pipelines/tickets/{created['id']}").json() == created
    listed = portal.get("/crm/v3/pipelines/tickets").json()["results"]
    assert [p["id"] for p in listed] == ["0", created["id"]]


def test_deal_stages_need_a_probability(portal: Portal) -> None:
    body = {
        "label": "Renewals",
        "displayOrder": 1,
        "stages": [{"label": "Due", "displayOrder": 0, "metadata": {}}],
    }
    refused = portal.post("/crm/v3/pipelines/deals", json=body)
    assert refused.status_code == 400
    assert refused.json()["category"] == "VALIDATION_ERROR"
    body["stages"][0]["metadata"] = {"probability": 0.5}
    created = portal.post("/crm/v3/pipelines/deals", json=body).json()
    assert created["stages"][0]["metadata"] == {"probability": "0.5", "isClosed": "false"}


def test_labels_are_unique(portal: Portal) -> None:
    assert portal.post("/crm/v3/pipelines/tickets", json=TICKET_PIPELINE).status_code == 201
    again = portal.post("/crm/v3/pipelines/tickets", json=TICKET_PIPELINE)
    assert again.status_code == 400
    same_stage = {**TICKET_PIPELINE, "label": "Other", "stages": TICKET_PIPELINE["stages"] * 2}
    assert portal.post("/crm/v3/pipelines/tickets", json=same_stage).status_code == 400


def test_patch_delete_and_restore(portal: Portal) -> None:
    created = portal.post("/crm/v3/pipelines/tickets", json=TICKET_PIPELINE).json()
    path = f"/crm/v3/pipelines/tickets/{created['id']}"
    patched = _patch(portal, path, {"label": "Renamed", "displayOrder": 5}).json()
    assert (patched["label"], patched["displayOrder"]) == ("Renamed", 5)
    assert _patch(portal, path, {"archived": True}).status_code == 400
    assert portal.delete(path).status_code == 204
    gone = portal.get(path)
    assert gone.status_code == 404
    assert gone.json()["category"] == "OBJECT_NOT_FOUND"
    assert [p["id"] for p in portal.get("/crm/v3/pipelines/tickets").json()["results"]] == ["0"]
    restored = _patch(portal, path, {"archived": False})
    assert restored.status_code == 200
    assert restored.json()["archived"] is False


def test_put_replaces_stages_keeping_those_named_by_id(portal: Portal) -> None:
    created = portal.post("/crm/v3/pipelines/tickets", json=TICKET_PIPELINE).json()
    keep = created["stages"][0]["id"]
    body = {
        "label": "Replaced",
        "displayOrder": 0,
        "stages": [
            {"stageId": keep, "label": "Working", "displayOrder": 0, "metadata": {}},
            {"label": "Finished", "displayOrder": 1, "metadata": {"ticketState": "CLOSED"}},
        ],
    }
    replaced = portal.put(f"/crm/v3/pipelines/tickets/{created['id']}", json=body).json()
    assert replaced["label"] == "Replaced"
    assert [(s["id"] == keep, s["label"]) for s in replaced["stages"]] == [
        (True, "Working"),
        (False, "Finished"),
    ]


def test_changing_the_defaults_stores_them_once(portal: Portal) -> None:
    path = "/crm/v3/pipelines/deals/default"
    assert _patch(portal, path, {"label": "Sales"}).status_code == 200
    (deals,) = portal.get("/crm/v3/pipelines/deals").json()["results"]
    assert deals["label"] == "Sales"
    assert len(deals["stages"]) == 7
    assert deals["createdAt"] == "1970-01-01T00:00:00.000Z"


def test_audit_is_newest_first(portal: Portal) -> None:
    created = portal.post("/crm/v3/pipelines/tickets", json=TICKET_PIPELINE).json()
    path = f"/crm/v3/pipelines/tickets/{created['id']}"
    _patch(portal, path, {"label": "Renamed"})
    audits = portal.get(f"{path}/audit").json()["results"]
    assert [a["action"] for a in audits] == ["UPDATE", "CREATE"]
    assert audits[0]["identifier"] == created["id"]
    assert audits[0]["portalId"] == portal.id
    assert audits[0]["rawObject"]["label"] == "Renamed"
    assert portal.get("/crm/v3/pipelines/deals/default/audit").json() == {"results": []}


def test_types_without_pipelines_and_unknown_types(portal: Portal) -> None:
    contacts = portal.get("/crm/v3/pipelines/contacts")
    assert contacts.status_code == 400
    assert contacts.json()["category"] == "VALIDATION_ERROR"
    unknown = portal.get("/crm/v3/pipelines/nonsense")
    assert unknown.json()["message"] == "Unable to infer object type from: nonsense"
    assert portal.get("/crm/v3/pipelines/leads").json() == {"results": []}


def test_pipelines_belong_to_their_portal(portal: Portal, other_portal: Portal) -> None:
    created = portal.post("/crm/v3/pipelines/tickets", json=TICKET_PIPELINE).json()
    assert other_portal.get(f"/crm/v3/pipelines/tickets/{created['id']}").status_code == 404
    assert len(other_portal.get("/crm/v3/pipelines/tickets").json()["results"]) == 1


def test_scopes(services: Services, portal: Portal) -> None:
    reader = portals.create_token(services, portal.id, ["crm.objects.deals.read"])
    headers = {"Authorization": f"Bearer {reader}"}
    assert portal.client.get("/crm/v3/pipelines/deals", headers=headers).status_code == 200
    assert portal.client.get("/crm/v3/pipelines/tickets", headers=headers).status_code == 403
    write = portal.client.post("/crm/v3/pipelines/deals", headers=headers, json=TICKET_PIPELINE)
    assert write.status_code == 403
    assert (
        "crm.schemas.deals.write" in write.json()["errors"][0]["context"]["requiredGranularScopes"]
    )


def test_bad_bodies_are_hubspot_errors(portal: Portal) -> None:
    missing = portal.post("/crm/v3/pipelines/tickets", json={"label": "x"})
    assert missing.status_code == 400
    assert missing.json()["category"] == "VALIDATION_ERROR"
    assert missing.json()["message"].startswith("Invalid input JSON")
    not_json = portal.post(
        "/crm/v3/pipelines/tickets", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 400


def test_out_of_range_values_are_400_not_500(portal: Portal) -> None:
    huge = {**TICKET_PIPELINE, "displayOrder": 2**40}
    assert portal.post("/crm/v3/pipelines/tickets", json=huge).status_code == 400
    long_id = {**TICKET_PIPELINE, "pipelineId": "x" * 65}
    response = portal.post("/crm/v3/pipelines/tickets", json=long_id)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
    chosen = {**TICKET_PIPELINE, "pipelineId": "support-2"}
    assert portal.post("/crm/v3/pipelines/tickets", json=chosen).json()["id"] == "support-2"


def test_a_stage_id_sent_twice_is_400(portal: Portal) -> None:
    stage = {"stageId": "s1", "displayOrder": 0, "metadata": {}}
    body = {
        "label": "Twice",
        "displayOrder": 1,
        "stages": [{**stage, "label": "A"}, {**stage, "label": "B"}],
    }
    response = portal.post("/crm/v3/pipelines/tickets", json=body)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
