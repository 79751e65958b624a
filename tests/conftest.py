"""Fixtures shared by every test: a real database (SQLite and PostgreSQL), the app, portals.

Every test that takes ``database_url`` (directly or through ``services``/``client``/
``portal``) runs once on SQLite and once on PostgreSQL. Without a reachable PostgreSQL
the PostgreSQL half is skipped with the reason, except under CI=true, where it fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.services.access import portals
from hubgraph.services.context import Services
from tests.support.portals import LOCAL, LOOPBACK, Portal, new_portal
from tests.support.portals import postgres_database as _postgres_database

# pytester runs user-style test files for tests/testing/. pytest accepts pytest_plugins
# only in the top-level conftest; it adds fixtures (pytester, ...) and nothing autouse.
# tests.support.routing_plugin does nothing unless HUBGRAPH_CHECK_PORTAL_ROUTING is set.
pytest_plugins = ["pytester", "tests.support.routing_plugin"]


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "hubgraph.db"
        yield f"sqlite:///{path}"
    else:
        yield from _postgres_database()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    # Portal users' passwords hash at a test cost (production: 2**15, docs/auth.md).
    return Settings(database_url=database_url, password_scrypt_cost=2**10)


@pytest.fixture(scope="session")
def services(settings: Settings) -> Iterator[Services]:
    services = Services.from_settings(settings)
    portals.upgrade_database(services)
    yield services
    services.close()


@pytest.fixture(scope="session")
def client(settings: Settings, services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(settings, services), client=LOOPBACK, base_url=LOCAL) as test_client:
        yield test_client


@pytest.fixture
def portal(services: Services, client: TestClient) -> Portal:
    return new_portal(services, client)


@pytest.fixture
def other_portal(services: Services, client: TestClient) -> Portal:
    return new_portal(services, client)
