"""What a sync tool written against HubSpot does first, over a real HTTP server (issue 14).

Discovery through the Properties API (plural and singular names, ``?limit`` as the
Meltano/dlt taps send it), then a full sync of contacts paged once with ``after`` and
once by following ``paging.next.link`` (dlt), with the bookmark property set on every
record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2 as httpx
import pytest

from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.services.context import Services
from hubgraph.testing import ServerThread
from tests.support.live import LivePortal, make_live_portal


@pytest.fixture(scope="module")
def live_server(settings: Settings, services: Services) -> Iterator[ServerThread]:
    with ServerThread(create_app(settings, services)) as running:
        yield running


@pytest.fixture
def live(services: Services, live_server: ServerThread) -> LivePortal:
    return make_live_portal(services, live_server.base_url)


def _names(http: httpx.Client, path: str) -> set[str]:
    response = http.get(path)
    assert response.status_code == 200, response.text
    return {p["name"] for p in response.json()["results"]}


def test_discovery_then_full_sync_by_after_and_by_link(live: LivePortal) -> None:
    with live.client() as http:
        plural = _names(http, "/crm/v3/properties/contacts?limit=100&archived=false")
        singular = _names(http, "/crm/v3/properties/contact")
        assert plural == singular
        assert {"email", "lastmodifieddate", "hs_lastmodifieddate", "createdate"} <= plural
        inputs = [{"properties": {"email": f"c{i}@example.com"}} for i in range(23)]
        created = http.post("/crm/v3/objects/contacts/batch/create", json={"inputs": inputs})
        assert created.status_code == 201
        expected = sorted(int(r["id"]) for r in created.json()["results"])

        by_after: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": 10, "properties": "email,lastmodifieddate"}
        while True:
            page = http.get("/crm/v3/objects/contacts", params=params).json()
            by_after += page["results"]
            after = page.get("paging", {}).get("next", {}).get("after")
            if after is None:
                break
            params["after"] = after

        by_link: list[dict[str, Any]] = []
        url: str | None = f"{live.base_url}/crm/v3/objects/contacts?limit=10&properties=email"
        while url is not None:
            assert url.startswith(live.base_url)
            page = http.get(url).json()
            by_link += page["results"]
            url = page.get("paging", {}).get("next", {}).get("link")

    assert [int(r["id"]) for r in by_after] == expected
    assert [int(r["id"]) for r in by_link] == expected
    for record in by_after + by_link:
        assert record["properties"]["email"].endswith("@example.com")
        assert record["properties"]["lastmodifieddate"] == record["updatedAt"]
        assert record["properties"]["hs_object_id"] == record["id"]
