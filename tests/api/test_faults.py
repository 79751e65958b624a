"""``/_hubgraph/faults``: injected 5xx, 423s, 429s and latency, HubSpot-shaped."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hubgraph.app import create_app
from hubgraph.services.access import faults
from hubgraph.services.context import Services
from hubgraph.services.state.shared_state import SharedState
from tests.support.portals import LOCAL, LOOPBACK, Portal, new_portal

DEFAULT_ASSOCIATE = "/crm/v4/associations/contacts/companies/batch/associate/default"
EMPTY_BATCH = {"inputs": []}


def add_fault(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/_hubgraph/faults", json=body)
    assert response.status_code == 201, response.text
    fault: dict[str, Any] = response.json()
    return fault


def call(portal: Portal) -> Any:
    return portal.post(DEFAULT_ASSOCIATE, json=EMPTY_BATCH)


@pytest.mark.parametrize(
    ("status", "category"),
    [(500, "INTERNAL_ERROR"), (502, "INTERNAL_ERROR"), (503, "INTERNAL_ERROR"), (423, "LOCKED")],
)
def test_a_counted_fault_fires_that_many_times_in_hubspots_envelope(
    client: TestClient, portal: Portal, status: int, category: str
) -> None:
    add_fault(client, route="/crm/v4/associations/*", portalId=portal.id, status=status, count=2)
    first, second, third = call(portal), call(portal), call(portal)
    assert (first.status_code, second.status_code, third.status_code) == (status, status, 200)
    body = first.json()
    assert body["status"] == "error"
    assert body["category"] == category
    assert body["message"]
    assert body["correlationId"] == first.headers["X-HubSpot-Correlation-Id"]
    assert str(uuid.UUID(body["correlationId"])) == body["correlationId"]


def test_an_injected_429_is_hubspots_rate_limit_body(client: TestClient, portal: Portal) -> None:
    add_fault(client, route="/crm/*", portalId=portal.id, status=429, count=1)
    response = call(portal)
    assert response.status_code == 429
    body = response.json()
    assert body["errorType"] == "RATE_LIMIT"
    assert body["policyName"] == "TEN_SECONDLY_ROLLING"


def test_latency_comes_before_the_status(client: TestClient, portal: Portal) -> None:
    fault = add_fault(client, route="/crm/*", portalId=portal.id, latencyMs=20, status=504)
    assert fault["latencyMs"] == 20
    assert call(portal).status_code == 504


def test_faults_match_route_method_and_portal_only(
    client: TestClient, portal: Portal, other_portal: Portal
) -> None:
    add_fault(client, route="/crm/v3/objects/*", portalId=portal.id, status=503)
    add_fault(client, route="/crm/v4/*", portalId=portal.id, method="GET", status=503)
    assert call(portal).status_code == 200  # neither the route nor the method match
    assert call(other_portal).status_code == 200
    assert portal.get("/crm/v3/objects/contacts/1").status_code == 503


def test_delete_clears_one_portals_faults(
    client: TestClient, portal: Portal, other_portal: Portal
) -> None:
    add_fault(client, route="/crm/*", portalId=portal.id, status=503)
    add_fault(client, route="/crm/*", portalId=other_portal.id, status=503)
    listed = client.get("/_hubgraph/faults", params={"portalId": portal.id}).json()["results"]
    assert [f["portalId"] for f in listed] == [portal.id]
    assert client.delete("/_hubgraph/faults", params={"portalId": portal.id}).status_code == 204
    assert call(portal).status_code == 200
    assert call(other_portal).status_code == 503
    client.delete("/_hubgraph/faults", params={"portalId": other_portal.id})


def test_clear_faults_is_the_service_a_reset_calls(
    services: Services, client: TestClient, portal: Portal
) -> None:
    add_fault(client, route="/crm/*", portalId=portal.id, status=502)
    assert faults.clear_faults(services, portal.id) == 1
    assert call(portal).status_code == 200


def test_a_fault_without_a_portal_hits_every_portal(services: Services) -> None:
    # Its own shared state: a fault for every portal must not reach other tests.
    isolated = dataclasses.replace(services, shared=SharedState())
    with TestClient(
        create_app(services.settings, isolated), client=LOOPBACK, base_url=LOCAL
    ) as client:
        one, two = new_portal(isolated, client), new_portal(isolated, client)
        add_fault(client, route="/crm/*", status=503, count=2)
        assert (call(one).status_code, call(two).status_code) == (503, 503)
        assert client.delete("/_hubgraph/faults").status_code == 204
        assert client.get("/_hubgraph/faults").json() == {"results": []}


@pytest.mark.parametrize(
    "body",
    [
        {"route": "/crm/*"},
        {"route": "/crm/*", "status": 404},
        {"route": "/crm/*", "status": 503, "rate": 0},
        {"route": "/crm/*", "status": 503, "count": 0},
        {"route": "crm", "status": 503},
        {"route": "/crm/*", "status": 503, "colour": "red"},
    ],
)
def test_invalid_faults_are_400(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/_hubgraph/faults", json=body)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
