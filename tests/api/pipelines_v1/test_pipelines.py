"""The legacy read paths: ``/crm-pipelines/v1/pipelines/{objectType}``, ``/deals/v1/pipelines``."""

from __future__ import annotations

from hubgraph.services.access import portals
from hubgraph.services.context import Services
from tests.support.portals import Portal


def test_v1_shape_of_the_default_deal_pipeline(portal: Portal) -> None:
    (deals,) = portal.get("/crm-pipelines/v1/pipelines/deals").json()["results"]
    assert {k: v for k, v in deals.items() if k != "stages"} == {
        "label": "Sales Pipeline",
        "displayOrder": 0,
        "active": True,
        "objectType": "DEAL",
        "objectTypeId": "0-3",
        "pipelineId": "default",
        "createdAt": 0,
        "updatedAt": 0,
        "default": True,
    }
    assert deals["stages"][0] == {
        "label": "Appointment Scheduled",
        "displayOrder": 0,
        "metadata": {"isClosed": "false", "probability": "0.2"},
        "stageId": "appointmentscheduled",
        "createdAt": 0,
        "updatedAt": 0,
        "active": True,
    }


def test_deleted_pipelines_only_with_include_deleted(portal: Portal) -> None:
    created = portal.post(
        "/crm/v3/pipelines/tickets",
        json={"label": "Old", "displayOrder": 1, "stages": [{"label": "A", "displayOrder": 0}]},
    ).json()
    portal.delete(f"/crm/v3/pipelines/tickets/{created['id']}")
    path = "/crm-pipelines/v1/pipelines/tickets"
    assert [p["pipelineId"] for p in portal.get(path).json()["results"]] == ["0"]
    every = portal.get(f"{path}?includeInactive=INCLUDE_DELETED").json()["results"]
    assert [(p["pipelineId"], p["active"], p["default"]) for p in every] == [
        ("0", True, True),
        (created["id"], False, False),
    ]
    assert portal.get(f"{path}?includeInactive=SOMETIMES").status_code == 400


def test_deal_pipelines_v1_is_an_array(portal: Portal) -> None:
    body = portal.get("/deals/v1/pipelines").json()
    assert [p["pipelineId"] for p in body] == ["default"]
    lost = body[0]["stages"][-1]
    assert lost == {
        "stageId": "closedlost",
        "label": "Closed Lost",
        "probability": 0.0,
        "active": True,
        "displayOrder": 6,
        "closedWon": False,
    }


def test_legacy_deals_path_takes_the_legacy_contacts_scope(
    services: Services, portal: Portal
) -> None:
    token = portals.create_token(services, portal.id, ["contacts"])
    headers = {"Authorization": f"Bearer {token}"}
    assert (
        portal.client.get("/crm-pipelines/v1/pipelines/deals", headers=headers).status_code == 200
    )
    assert (
        portal.client.get("/crm-pipelines/v1/pipelines/tickets", headers=headers).status_code == 403
    )
