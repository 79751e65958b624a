"""CRM search's own rate limit: 5 a second per account, outside the ten-secondly window."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.portals import Portal

SEARCH = "/crm/v3/objects/contacts/search"


def test_search_is_outside_the_ten_secondly_window_and_has_no_headers(
    client: TestClient, portal: Portal
) -> None:
    set_tier = client.put(
        f"/_hubgraph/portals/{portal.id}/rate-limits", json={"tier": "free", "tenSecondlyMax": 2}
    )
    assert set_tier.status_code == 200
    for _ in range(3):
        response = portal.post(SEARCH, json={})
        assert response.status_code == 200
        assert not [h for h in response.headers if h.lower().startswith("x-hubspot-ratelimit")]
    listed = portal.get("/crm/v3/objects/contacts")
    assert listed.status_code == 200
    assert listed.headers["X-HubSpot-RateLimit-Remaining"] == "1"


def test_more_than_five_searches_a_second_answer_429(client: TestClient, portal: Portal) -> None:
    client.put(f"/_hubgraph/portals/{portal.id}/rate-limits", json={"tier": "free"})
    statuses = []
    for _ in range(50):
        response = portal.post("/crm/objects/2026-03/contacts/search", json={})
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    assert statuses[:5] == [200] * 5
    assert statuses[-1] == 429
    body = response.json()
    assert list(body) == ["status", "message", "correlationId", "category"]
    assert body["message"] == "You have reached your secondly limit."
    assert body["category"] == "RATE_LIMITS"
