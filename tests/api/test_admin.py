"""/_hubgraph/health, /version, /compat: open to every client (/version's details: the admin's)."""

from __future__ import annotations

import dataclasses

from fastapi.testclient import TestClient

from hubgraph import __version__
from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.services.context import Services
from tests.support.portals import LOCAL, LOOPBACK


def test_version(client: TestClient, database_url: str) -> None:
    body = client.get("/_hubgraph/version").json()
    assert body["version"] == __version__
    assert body["database"] == database_url.split(":")[0]


def test_compat_lists_spec_operations_and_what_is_served(client: TestClient) -> None:
    body = client.get("/_hubgraph/compat").json()
    assert body["specsFound"] is True  # the specs ship inside the package
    served = {(o["method"], o["path"]) for o in body["operations"] if o["served"]}
    assert (
        "POST",
        "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/associate/default",
    ) in served
    assert body["served"] == len(served)
    assert body["total"] == len(body["operations"]) > body["served"]
    assert all(not r["path"].startswith("/_hubgraph") for r in body["extraRoutes"])


def test_control_plane_is_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/_hubgraph/openapi.json").json()["paths"]
    assert {"get", "put"} <= set(paths["/_hubgraph/portals/{portalId}/snapshot"])


def test_version_details_only_for_the_admin(
    settings: Settings, services: Services, client: TestClient
) -> None:
    """Issue 12: anyone may learn hubgraph's version, not the database or Python behind it."""
    proxied = client.get("/_hubgraph/version", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.json() == {"version": __version__}
    with TestClient(create_app(settings, services)) as remote:
        assert remote.get("/_hubgraph/version").json() == {"version": __version__}
    guarded = dataclasses.replace(
        services, settings=settings.model_copy(update={"admin_token": "s3cret-admin"})
    )
    with TestClient(create_app(guarded.settings, guarded), client=LOOPBACK, base_url=LOCAL) as c:
        assert c.get("/_hubgraph/version").json() == {"version": __version__}
        admin = c.get("/_hubgraph/version", headers={"Authorization": "Bearer s3cret-admin"})
        assert set(admin.json()) == {"version", "database", "python"}
