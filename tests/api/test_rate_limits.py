"""Rate limits by tier (reference §9): headers, the 429 body, and the control plane."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hubgraph.app import create_app
from hubgraph.services.access import oauth, portals
from hubgraph.services.context import Services
from tests.support.oauth import REDIRECT_URI, exchange_code, mint_code
from tests.support.portals import Portal, new_portal

DEFAULT_ASSOCIATE = "/crm/v4/associations/contacts/companies/batch/associate/default"
EMPTY_BATCH = {"inputs": []}


def set_limits(client: TestClient, portal_id: int, **body: Any) -> dict[str, Any]:
    response = client.put(f"/_hubgraph/portals/{portal_id}/rate-limits", json=body)
    assert response.status_code == 200, response.text
    limits: dict[str, Any] = response.json()
    return limits


def test_no_tier_no_limits_and_no_headers(portal: Portal) -> None:
    response = portal.post(DEFAULT_ASSOCIATE, json=EMPTY_BATCH)
    assert response.status_code == 200
    assert not [h for h in response.headers if h.lower().startswith("x-hubspot-ratelimit")]


@pytest.mark.parametrize(
    ("body", "ten_secondly", "daily"),
    [
        ({"tier": "free"}, 100, 250_000),
        ({"tier": "starter"}, 100, 250_000),
        ({"tier": "professional"}, 190, 625_000),
        ({"tier": "enterprise"}, 190, 1_000_000),
        ({"tier": "enterprise", "addOns": 2}, 250, 3_000_000),
        ({"tier": "free", "tenSecondlyMax": 5, "dailyMax": 50}, 5, 50),
    ],
)
def test_tiers_set_hubspots_limits(
    client: TestClient, portal: Portal, body: dict[str, Any], ten_secondly: int, daily: int
) -> None:
    limits = set_limits(client, portal.id, **body)
    assert (limits["tenSecondlyMax"], limits["dailyMax"]) == (ten_secondly, daily)
    response = portal.post(DEFAULT_ASSOCIATE, json=EMPTY_BATCH)
    assert response.headers["X-HubSpot-RateLimit-Max"] == str(ten_secondly)
    assert response.headers["X-HubSpot-RateLimit-Remaining"] == str(ten_secondly - 1)
    assert response.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
    assert response.headers["X-HubSpot-RateLimit-Daily"] == str(daily)
    assert response.headers["X-HubSpot-RateLimit-Daily-Remaining"] == str(daily - 1)


def test_burst_limit_answers_429_ten_secondly_rolling(client: TestClient, portal: Portal) -> None:
    set_limits(client, portal.id, tier="free", tenSecondlyMax=3)
    remaining = [
        portal.post(DEFAULT_ASSOCIATE, json=EMPTY_BATCH).headers["X-HubSpot-RateLimit-Remaining"]
        for _ in range(3)
    ]
    assert remaining == ["2", "1", "0"]
    refused = portal.post(DEFAULT_ASSOCIATE, json=EMPTY_BATCH)
    assert refused.status_code == 429
    body = refused.json()
    assert body["errorType"] == "RATE_LIMIT"
    assert body["policyName"] == "TEN_SECONDLY_ROLLING"
    assert body["message"] == "You have reached your ten_secondly_rolling limit."
    assert body["correlationId"] == refused.headers["X-HubSpot-Correlation-Id"]
    assert body["requestId"]
    assert refused.headers["X-HubSpot-RateLimit-Remaining"] == "0"


def test_daily_limit_answers_429_daily(client: TestClient, portal: Portal) -> None:
    set_limits(client, portal.id, tier="free", dailyMax=2)
    assert portal.post(DEFAULT_ASSOCIATE, json=EMPTY_BATCH).status_code == 200
    last = portal.post(DEFAULT_ASSOCIATE, json=EMPTY_BATCH)
    assert last.headers["X-HubSpot-RateLimit-Daily-Remaining"] == "0"
    refused = portal.post(DEFAULT_ASSOCIATE, json=EMPTY_BATCH)
    assert refused.status_code == 429
    assert refused.json()["policyName"] == "DAILY"
    assert refused.json()["message"] == "You have reached your daily limit."


def test_the_burst_limit_counts_per_app(
    services: Services, client: TestClient, portal: Portal
) -> None:
    set_limits(client, portal.id, tier="free", tenSecondlyMax=1, dailyMax=100)
    other_app = portals.create_token(services, portal.id)
    assert portal.post(DEFAULT_ASSOCIATE, json=EMPTY_BATCH).status_code == 200
    assert portal.post(DEFAULT_ASSOCIATE, json=EMPTY_BATCH).status_code == 429
    second = client.post(
        DEFAULT_ASSOCIATE, json=EMPTY_BATCH, headers={"Authorization": f"Bearer {other_app}"}
    )
    assert second.status_code == 200
    # ...while the daily count is the account's, shared by both apps.
    assert second.headers["X-HubSpot-RateLimit-Daily-Remaining"] == "98"


def test_oauth_calls_omit_the_daily_headers(
    services: Services, client: TestClient, portal: Portal
) -> None:
    set_limits(client, portal.id, tier="enterprise")
    oauth_app = oauth.create_app(services, "Limited app", [REDIRECT_URI])
    tokens = exchange_code(client, oauth_app, mint_code(client, oauth_app, portal.id))
    response = client.post(
        DEFAULT_ASSOCIATE,
        json=EMPTY_BATCH,
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert response.status_code == 200
    assert response.headers["X-HubSpot-RateLimit-Max"] == "110"
    assert "X-HubSpot-RateLimit-Daily" not in response.headers
    assert "X-HubSpot-RateLimit-Daily-Remaining" not in response.headers


def test_clearing_the_tier_switches_limits_off(client: TestClient, portal: Portal) -> None:
    set_limits(client, portal.id, tier="free", tenSecondlyMax=1)
    assert portal.post(DEFAULT_ASSOCIATE, json=EMPTY_BATCH).status_code == 200
    assert client.delete(f"/_hubgraph/portals/{portal.id}/rate-limits").status_code == 204
    response = portal.post(DEFAULT_ASSOCIATE, json=EMPTY_BATCH)
    assert response.status_code == 200
    assert "X-HubSpot-RateLimit-Max" not in response.headers


def test_unknown_tier_is_400(client: TestClient, portal: Portal) -> None:
    response = client.put(f"/_hubgraph/portals/{portal.id}/rate-limits", json={"tier": "gold"})
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_a_server_default_tier_limits_every_portal(services: Services) -> None:
    settings = services.settings.model_copy(update={"default_rate_limit_tier": "professional"})
    configured = dataclasses.replace(services, settings=settings)
    with TestClient(create_app(settings, configured)) as client:
        response = new_portal(configured, client).post(DEFAULT_ASSOCIATE, json=EMPTY_BATCH)
    assert response.headers["X-HubSpot-RateLimit-Max"] == "190"
    assert response.headers["X-HubSpot-RateLimit-Daily"] == "625000"
