"""The webhooks page: a portal's events as sent, each with its attempts."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.store import webhooks as webhook_store
from tests.support.portals import Portal
from tests.support.webhooks import new_developer_app

UI = "/_hubgraph/ui"


def _events(services: Services, portal_id: int, app_id: int) -> list[int]:
    """Two events written as the delivery worker leaves them: one delivered, one dropped."""
    now = now_ms()
    with services.database.write() as conn:
        first = webhook_store.allocate_event_ids(conn, portal_id, 2)
        rows = [
            webhook_store.EventRow(
                portal_id, first + i, app_id, 7, payload, now, 1, state, now
            )
            for i, (payload, state) in enumerate(
                [
                    ({"subscriptionType": "contact.creation", "objectId": 1001},
                     webhook_store.DELIVERED),
                    ({"subscriptionType": "contact.deletion", "objectId": 1002},
                     webhook_store.DROPPED),
                ]
            )
        ]  # fmt: skip
        webhook_store.add_events(conn, rows)
        webhook_store.add_attempt(conn, rows[0], now, 12, 204, None)
        webhook_store.add_attempt(conn, rows[1], now, 5000, None, "timed out after 5000 ms")
    return [r.id for r in rows]


def test_events_are_listed_newest_first_with_attempts_and_payloads(
    client: TestClient, portal: Portal, services: Services
) -> None:
    app = new_developer_app(services)
    delivered, dropped = _events(services, portal.id, app.app_id)
    page = client.get(f"{UI}/portals/{portal.id}/webhooks")
    assert page.status_code == 200
    shown = re.findall(r'<details class="request webhook" data-event-id="(\d+)">', page.text)
    assert shown == [str(dropped), str(delivered)]
    assert "contact.creation" in page.text
    assert "DELIVERED" in page.text
    assert "DROPPED" in page.text
    assert "timed out after 5000 ms" in page.text
    assert "&#34;objectId&#34;: 1001" in page.text


def test_a_portal_without_events_says_so(client: TestClient, portal: Portal) -> None:
    page = client.get(f"{UI}/portals/{portal.id}/webhooks")
    assert page.status_code == 200
    assert "No webhook events for this portal" in page.text
