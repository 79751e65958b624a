"""Portals that talk to a real server on a free port, row dumps, and the error-envelope check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx2 as httpx
from sqlalchemy import select

from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.store.tables import metadata
from tests.support.records import named

HEALTH = "/_hubgraph/health"


@dataclass
class LivePortal:
    """A portal, its token, and an HTTP client to a real server that sends the token."""

    id: int
    token: str
    base_url: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def client(self, timeout: float = 60.0) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, headers=self.headers, timeout=timeout)

    def create_records(self, object_type: str, count: int, **properties: str) -> list[str]:
        ids: list[str] = []
        with self.client() as http:
            for start in range(0, count, 100):
                inputs = [
                    {"properties": {**named(object_type, f"{object_type}-{i}"), **properties}}
                    for i in range(start, min(count, start + 100))
                ]
                response = http.post(
                    f"/crm/v3/objects/{object_type}/batch/create", json={"inputs": inputs}
                )
                assert response.status_code == 201, response.text
                ids += [r["id"] for r in response.json()["results"]]
        return ids


def make_live_portal(
    services: Services, base_url: str, scopes: list[str] | None = None
) -> LivePortal:
    portal_id = portals.create_portal(services, "hardening")
    return LivePortal(portal_id, portals.create_token(services, portal_id, scopes), base_url)


def dump_portal(services: Services, portal_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that belongs to the portal, sorted: compare two dumps."""
    dump: dict[str, list[tuple[Any, ...]]] = {}
    with services.database.read() as conn:
        for table in metadata.sorted_tables:
            key = table.c.get("portal_id")
            if key is None and table.name == "portals":
                key = table.c.id
            if key is None:
                continue
            rows = conn.execute(select(table).where(key == portal_id)).all()
            dump[table.name] = sorted((tuple(map(repr, r)) for r in rows), key=repr)
    return dump


def assert_envelope(response: httpx.Response, *statuses: int) -> dict[str, Any]:
    """HubSpot's error envelope (reference §5.3) with a 4xx status from ``statuses``."""
    assert response.status_code in statuses, (response.status_code, response.text[:500])
    body: dict[str, Any] = response.json()
    assert body["status"] == "error", body
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["category"], str)
    assert body["correlationId"] == response.headers["X-HubSpot-Correlation-Id"]
    return body
