"""/_hubgraph/health, /version, /compat: open to every client."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hubgraph import __version__


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
