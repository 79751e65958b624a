"""``/crm/v3/pipelines/{objectType}/{pipelineId}/stages`` and ``…/{stageId}``."""

from __future__ import annotations

from tests.support.portals import Portal

STAGES = "/crm/v3/pipelines/deals/default/stages"


def test_list_and_get(portal: Portal) -> None:
    stages = portal.get(STAGES).json()["results"]
    assert [s["id"] for s in stages][-2:] == ["closedwon", "closedlost"]
    won = portal.get(f"{STAGES}/closedwon").json()
    assert won["metadata"] == {"isClosed": "true", "probability": "1.0"}
    assert portal.get(f"{STAGES}/nope").status_code == 404
    assert portal.get("/crm/v3/pipelines/deals/nope/stages").status_code == 404


def test_create_patch_put_delete(portal: Portal) -> None:
    response = portal.post(
        STAGES, json={"label": "Negotiation", "displayOrder": 4, "metadata": {"probability": "0.7"}}
    )
    assert response.status_code == 201
    stage = response.json()
    path = f"{STAGES}/{stage['id']}"
    assert response.headers["location"].endswith(path)
    patched = portal.request("PATCH", path, json={"metadata": {"probability": "1.0"}}).json()
    assert patched["metadata"] == {"probability": "1.0", "isClosed": "true"}
    assert patched["label"] == "Negotiation"
    replaced = portal.put(
        path, json={"label": "Negotiating", "displayOrder": 4, "metadata": {"probability": "0.6"}}
    ).json()
    assert (replaced["label"], replaced["metadata"]["isClosed"]) == ("Negotiating", "false")
    duplicate = portal.post(
        STAGES, json={"label": "Negotiating", "displayOrder": 9, "metadata": {"probability": "0.1"}}
    )
    assert duplicate.status_code == 400
    assert portal.delete(path).status_code == 204
    assert portal.get(path).status_code == 404
    assert stage["id"] not in [s["id"] for s in portal.get(STAGES).json()["results"]]
    audits = portal.get("/crm/v3/pipelines/deals/default/audit").json()["results"]
    assert [a["action"] for a in audits] == ["DELETE", "UPDATE", "UPDATE", "CREATE"]


def test_stage_audit(portal: Portal) -> None:
    portal.request("PATCH", f"{STAGES}/closedwon", json={"label": "Won", "metadata": {}})
    audits = portal.get(f"{STAGES}/closedwon/audit").json()["results"]
    assert [(a["action"], a["identifier"]) for a in audits] == [("UPDATE", "closedwon")]
    assert audits[0]["rawObject"]["label"] == "Won"


def test_ticket_state_must_be_open_or_closed(portal: Portal) -> None:
    bad = portal.post(
        "/crm/v3/pipelines/tickets/0/stages",
        json={"label": "Parked", "displayOrder": 9, "metadata": {"ticketState": "PARKED"}},
    )
    assert bad.status_code == 400
    assert bad.json()["category"] == "VALIDATION_ERROR"
