"""Portals for in-process tests (TestClient), and a PostgreSQL database of their own."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx
import psycopg
import pytest
from fastapi.testclient import TestClient

from hubgraph.services.access import portals
from hubgraph.services.context import Services
from tests.support.records import named

POSTGRES_ADMIN_URL = os.environ.get(
    "HUBGRAPH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def postgres_admin() -> psycopg.Connection[tuple[object, ...]]:
    """A connection to the local PostgreSQL server's admin database; without one, the test
    is skipped with the reason (failed under CI=true, where PostgreSQL must run)."""
    try:
        return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        reason = f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {exc}".strip()
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI must run the PostgreSQL tests)")
        pytest.skip(reason)


def postgres_database() -> Iterator[str]:
    name = f"hubgraph_test_{uuid.uuid4().hex[:12]}"
    admin = postgres_admin()
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
        try:
            yield f"{base}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Test clients connect from 127.0.0.1, as a local test suite does: the control plane
# (/_hubgraph/portals, faults, oauth apps, rate limits) answers loopback clients only.
LOOPBACK = ("127.0.0.1", 50000)
# ... and address the server by a loopback name: the control plane refuses other Host headers
# (TestClient's default is "testserver").
LOCAL = "http://localhost"


@dataclass(frozen=True)
class Portal:
    """A fresh portal and a token for it with every CRM scope."""

    id: int
    token: str
    client: TestClient

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def create_records(self, object_type: str, count: int) -> list[str]:
        """Create ``count`` records through the API; their ids, as HubSpot renders them."""
        ids: list[str] = []
        for start in range(0, count, 100):
            batch = [
                {"properties": named(object_type, f"{object_type}-{i}")}
                for i in range(start, min(count, start + 100))
            ]
            response = self.post(
                f"/crm/v3/objects/{object_type}/batch/create", json={"inputs": batch}
            )
            assert response.status_code == 201, response.text
            ids += [r["id"] for r in response.json()["results"]]
        return ids


def new_portal(services: Services, client: TestClient, scopes: list[str] | None = None) -> Portal:
    portal_id = portals.create_portal(services, "test")
    return Portal(portal_id, portals.create_token(services, portal_id, scopes), client)
