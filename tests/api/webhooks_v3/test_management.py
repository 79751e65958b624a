"""The Webhooks v3 management API over HTTP: settings, subscriptions, keys, errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hubgraph.services.context import Services
from tests.support.portals import Portal
from tests.support.webhooks import DeveloperApp, new_developer_app

SETTINGS = {"targetUrl": "https://example.com/hooks", "throttling": {"maxConcurrentRequests": 10}}


@pytest.fixture
def app(services: Services) -> DeveloperApp:
    return new_developer_app(services)


def test_settings_round_trip_and_clear(client: TestClient, app: DeveloperApp) -> None:
    assert client.get(app.url("/settings")).status_code == 404
    put = client.put(
        app.url("/settings"),
        json=SETTINGS | {"throttling": {"maxConcurrentRequests": 12, "period": "SECONDLY"}},
    )
    assert put.status_code == 200, put.text
    body = put.json()
    assert body["targetUrl"] == SETTINGS["targetUrl"]
    assert body["throttling"] == {"maxConcurrentRequests": 12, "period": "SECONDLY"}
    assert body["createdAt"].endswith("Z")
    assert "updatedAt" not in body
    again = client.put(app.url("/settings"), json=SETTINGS).json()
    assert again["throttling"] == {"maxConcurrentRequests": 10}
    assert "updatedAt" in again
    assert client.get(app.url("/settings")).json()["targetUrl"] == SETTINGS["targetUrl"]
    assert client.delete(app.url("/settings")).status_code == 204
    assert client.get(app.url("/settings")).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"targetUrl": "ftp://example.com", "throttling": {"maxConcurrentRequests": 10}},
        {"targetUrl": "https://example.com", "throttling": {"maxConcurrentRequests": 5}},
        {"targetUrl": "https://example.com"},
    ],
)
def test_bad_settings_are_400(
    client: TestClient, app: DeveloperApp, body: dict[str, object]
) -> None:
    response = client.put(app.url("/settings"), json=body)
    assert response.status_code == 400, response.text
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_subscriptions_crud(client: TestClient, app: DeveloperApp) -> None:
    created = client.post(
        app.url("/subscriptions"),
        json={"eventType": "contact.propertyChange", "propertyName": "email", "active": True},
    )
    assert created.status_code == 201, created.text
    sub = created.json()
    assert sub["eventType"] == "contact.propertyChange"
    assert sub["propertyName"] == "email"
    assert sub["active"] is True
    assert isinstance(sub["id"], str)
    paused = client.post(app.url("/subscriptions"), json={"eventType": "deal.creation"}).json()
    assert paused["active"] is False  # the spec's default
    assert "propertyName" not in paused
    listed = client.get(app.url("/subscriptions")).json()["results"]
    assert [s["id"] for s in listed] == [sub["id"], paused["id"]]
    got = client.get(app.url(f"/subscriptions/{sub['id']}")).json()
    assert got == sub
    patched = client.patch(app.url(f"/subscriptions/{paused['id']}"), json={"active": True})
    assert patched.status_code == 200
    assert patched.json()["active"] is True
    assert "updatedAt" in patched.json()
    assert client.delete(app.url(f"/subscriptions/{sub['id']}")).status_code == 204
    assert client.get(app.url(f"/subscriptions/{sub['id']}")).status_code == 404
    assert client.delete(app.url(f"/subscriptions/{sub['id']}")).status_code == 404


def test_batch_update_reports_unknown_ids_as_207(client: TestClient, app: DeveloperApp) -> None:
    sub = client.post(app.url("/subscriptions"), json={"eventType": "company.creation"}).json()
    ok = client.post(
        app.url("/subscriptions/batch/update"),
        json={"inputs": [{"id": int(sub["id"]), "active": True}]},
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "COMPLETE"
    assert ok.json()["results"][0]["active"] is True
    mixed = client.post(
        app.url("/subscriptions/batch/update"),
        json={"inputs": [{"id": int(sub["id"]), "active": False}, {"id": 999999, "active": True}]},
    )
    assert mixed.status_code == 207
    body = mixed.json()
    assert body["results"][0]["active"] is False
    assert body["numErrors"] == 1
    error = body["errors"][0]
    assert error["category"] == "SUBSCRIPTION_ID_NOT_FOUND"
    assert error["subCategory"] == "SubscriptionErrors.SUBSCRIPTION_IDS_NOT_FOUND"
    assert error["context"] == {"subscriptionIds": ["999999"]}


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"eventType": "contact.teleport"}, "eventType"),
        ({"eventType": "contact.propertyChange"}, "propertyName is required"),
        ({"eventType": "contact.creation", "propertyName": "email"}, "propertyName only"),
        ({"eventType": "contact.propertyChange", "propertyName": "hs_lastmodifieddate"}, "cannot"),
        ({"eventType": "object.creation"}, "objectTypeId"),
        ({"eventType": "object.creation", "objectTypeId": "0-999"}, "infer object type"),
    ],
)
def test_bad_subscriptions_are_400(
    client: TestClient, app: DeveloperApp, body: dict[str, object], fragment: str
) -> None:
    response = client.post(app.url("/subscriptions"), json=body)
    assert response.status_code == 400, response.text
    assert fragment in response.json()["message"]


def test_generic_subscription_resolves_the_object_type(
    client: TestClient, app: DeveloperApp
) -> None:
    made = client.post(
        app.url("/subscriptions"), json={"eventType": "object.creation", "objectTypeId": "deals"}
    )
    assert made.status_code == 201, made.text
    assert made.json()["objectTypeId"] == "0-3"


def test_keys_and_tokens(
    client: TestClient, services: Services, app: DeveloperApp, portal: Portal
) -> None:
    other = new_developer_app(services)
    for response in (
        client.get(f"/webhooks/v3/{app.app_id}/subscriptions"),
        client.get(app.url("/subscriptions", api_key="not-a-key")),
        client.get(app.url("/subscriptions", api_key=other.api_key)),  # another account's app
        client.get(f"/webhooks/v3/{app.app_id}/subscriptions", headers=portal.headers),
    ):
        assert response.status_code == 401, response.text
        assert response.json()["category"] == "INVALID_AUTHENTICATION"
        assert response.json()["correlationId"] == response.headers["X-HubSpot-Correlation-Id"]
    assert client.get(app.url("/subscriptions")).status_code == 200


def test_subscriptions_per_app_are_capped(
    client: TestClient, app: DeveloperApp, services: Services
) -> None:
    from hubgraph.services.webhooks import management
    from hubgraph.store import webhooks as store

    with services.database.write() as conn:
        for _ in range(1000):
            store.add_subscription(conn, app.app_id, "deal.creation", None, None, False, 0)
    response = client.post(app.url("/subscriptions"), json={"eventType": "deal.creation"})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Couldn't create another subscription. You've reached the maximum number allowed "
        "per application (1000)."
    )
    assert management.MAX_SUBSCRIPTIONS_PER_APP == 1000
