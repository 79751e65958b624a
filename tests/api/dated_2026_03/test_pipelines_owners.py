"""``/crm/pipelines/2026-03/…`` and ``/crm/owners/2026-03…``: the same data as v3."""

from __future__ import annotations

from tests.support.owners import create_owner
from tests.support.portals import Portal


def test_pipelines_under_2026_03_are_v3s(portal: Portal) -> None:
    base = "/crm/pipelines/2026-03/tickets"
    body = {"label": "Dated", "displayOrder": 1, "stages": [{"label": "A", "displayOrder": 0}]}
    created = portal.post(base, json=body)
    assert created.status_code == 201
    pipeline = created.json()
    assert portal.get(f"/crm/v3/pipelines/tickets/{pipeline['id']}").json() == pipeline
    assert portal.get(f"{base}/{pipeline['id']}/stages").json()["results"] == pipeline["stages"]
    stage = pipeline["stages"][0]["id"]
    patched = portal.request(
        "PATCH", f"{base}/{pipeline['id']}/stages/{stage}", json={"label": "B"}
    )
    assert patched.json()["label"] == "B"
    assert portal.get(f"{base}/{pipeline['id']}/stages/{stage}/audit").json()["results"]
    assert portal.delete(f"{base}/{pipeline['id']}").status_code == 204
    assert portal.get(f"/crm/v3/pipelines/tickets/{pipeline['id']}").status_code == 404


def test_owners_under_2026_03_are_v3s(portal: Portal) -> None:
    made = create_owner(portal, email="dated@example.com")
    assert portal.get("/crm/owners/2026-03").json() == {"results": [made]}
    assert portal.get(f"/crm/owners/2026-03/{made['id']}").json() == made
