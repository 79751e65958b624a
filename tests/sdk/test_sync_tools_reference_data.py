"""Owners, pipelines and users read exactly as three open-source sync tools read them.

Each test makes the calls the tool's code makes (paths, query parameters, how it pages)
with ``requests``, the library all three use, against a real server, and reads the
answers the way the tool does. The code was read at:

- dlt's HubSpot source, dlt-hub/verified-sources 3957506 (2026-07-03),
  ``sources/hubspot/settings.py``, ``__init__.py``, ``helpers.py``;
- MeltanoLabs/tap-hubspot 3596c57 (2026-03-02), ``tap_hubspot/streams.py``, ``client.py``;
- singer-io/tap-hubspot 34891a2 (2026-06-30), ``tap_hubspot/__init__.py``,
  ``tap_hubspot/schemas/{owners,deal_pipelines}.json``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import requests

from hubgraph.services.context import Services
from hubgraph.services.owners import owners
from hubgraph.testing import ServerThread
from tests.support.portals import Portal

TIMEOUT = 30


def _owners(services: Services, portal: Portal, count: int) -> list[str]:
    """``count`` owners in one transaction (the control plane makes them one at a time)."""
    with services.database.write() as conn:
        return [
            str(
                owners.create_owner_in(
                    conn,
                    portal.id,
                    owners.OwnerInput(email=f"o{i}@example.com", first_name=f"O{i}"),
                ).id
            )
            for i in range(count)
        ]


def _headers(portal: Portal) -> dict[str, str]:
    return {"Authorization": f"Bearer {portal.token}"}


def test_dlt_hubspot_source(server: ServerThread, services: Services, portal: Portal) -> None:
    """dlt: ``fetch_data("/crm/v3/owners/")`` with no parameters, then every
    ``paging.next.link`` as it is (an absolute URL); with ``soft_delete`` the same path with
    ``params={"archived": True}`` (requests sends ``archived=True``). Pipelines:
    ``/crm/v3/pipelines/{deals,tickets}`` with no parameters. Each result is
    ``result.get("properties", result)`` keyed by ``id``."""
    made = _owners(services, portal, 101)
    owners.archive_owner(services, portal.id, int(made[-1]))
    headers = _headers(portal)

    def fetch_data(endpoint: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        data: dict[str, Any] | None = requests.get(
            server.base_url + endpoint, headers=headers, params=params, timeout=TIMEOUT
        ).json()
        while data is not None:
            found += [r.get("properties", r) for r in data["results"]]
            nxt = data.get("paging", {}).get("next")
            data = (
                requests.get(nxt["link"], headers=headers, timeout=TIMEOUT).json() if nxt else None
            )
        return found

    live = fetch_data("/crm/v3/owners/")
    assert [o["id"] for o in live] == made[:-1]
    archived = fetch_data("/crm/v3/owners/", params={"archived": True})
    assert [o["id"] for o in archived] == [made[-1]]
    for object_type, first in (("deals", "default"), ("tickets", "0")):
        (pipeline,) = fetch_data(f"/crm/v3/pipelines/{object_type}")
        assert pipeline["id"] == first
        assert pipeline["stages"]


def test_meltano_tap_hubspot(server: ServerThread, services: Services, portal: Portal) -> None:
    """Meltano: every stream sends ``limit=100`` and, from the second page on,
    ``after=<paging.next.after>``; it stops when a body has no ``paging``. Owners from
    ``https://api.hubapi.com/crm/v3`` + ``/owners``, users from ``/settings/v3`` + ``/users``,
    pipelines from ``/crm-pipelines/v1`` + ``/pipelines/{tickets,deals}``; records are
    ``$[results][*]``."""
    made = _owners(services, portal, 150)
    headers = _headers(portal)

    def stream(url: str) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 100}
            if token:
                params["after"] = token
            body = requests.get(url, headers=headers, params=params, timeout=TIMEOUT).json()
            records += body["results"]
            token = (
                body.get("paging", {}).get("next", {}).get("after") if "paging" in body else None
            )
            if token is None:
                return records

    owner_rows = stream(server.base_url + "/crm/v3/owners")
    assert [o["id"] for o in owner_rows] == made
    assert {"id", "email", "firstName", "userId", "createdAt", "updatedAt", "archived"} <= set(
        owner_rows[0]
    )
    users = stream(server.base_url + "/settings/v3/users")
    assert [u["id"] for u in users] == [str(o["userId"]) for o in owner_rows]
    assert users[0]["roleIds"] == []
    (tickets,) = stream(server.base_url + "/crm-pipelines/v1/pipelines/tickets")
    assert (tickets["pipelineId"], tickets["objectType"], tickets["default"]) == (
        "0",
        "TICKET",
        True,
    )
    assert tickets["stages"][0]["metadata"]["ticketState"] == "OPEN"
    assert isinstance(tickets["createdAt"], int)
    (deals,) = stream(server.base_url + "/crm-pipelines/v1/pipelines/deals")
    assert (deals["pipelineId"], deals["objectTypeId"], deals["active"]) == ("default", "0-3", True)
    stage = deals["stages"][0]
    assert (stage["stageId"], stage["active"], stage["metadata"]["probability"]) == (
        "appointmentscheduled",
        True,
        "0.2",
    )


def test_singer_tap_hubspot(server: ServerThread, services: Services, portal: Portal) -> None:
    """Singer: ``sync_owners`` reads ``/crm/v3/owners/`` with ``{"limit": 500}``, then
    ``params["after"] = paging.next.after`` while there is one, and keeps rows whose
    ``updatedAt`` is past its bookmark; ``sync_deal_pipelines`` reads
    ``/deals/v1/pipelines`` with no parameters and iterates the JSON array it returns."""
    made = _owners(services, portal, 3)
    headers = _headers(portal)
    params: dict[str, Any] = {"limit": 500}
    rows: list[dict[str, Any]] = []
    while True:
        data = requests.get(
            server.base_url + "/crm/v3/owners/", headers=headers, params=params, timeout=TIMEOUT
        ).json()
        rows += data["results"]
        if not data.get("paging") or not data["paging"].get("next"):
            break
        params["after"] = data["paging"]["next"]["after"]
    assert [r["id"] for r in rows] == made
    assert all(datetime.fromisoformat(r["updatedAt"].replace("Z", "+00:00")) for r in rows)
    pipelines = requests.get(
        server.base_url + "/deals/v1/pipelines", headers=headers, timeout=TIMEOUT
    ).json()
    assert isinstance(pipelines, list)
    (sales,) = pipelines
    assert (sales["pipelineId"], sales["label"], sales["active"], sales["staticDefault"]) == (
        "default",
        "Sales Pipeline",
        True,
        True,
    )
    won = next(s for s in sales["stages"] if s["stageId"] == "closedwon")
    assert won == {
        "stageId": "closedwon",
        "label": "Closed Won",
        "probability": 1.0,
        "active": True,
        "displayOrder": 5,
        "closedWon": True,
    }
