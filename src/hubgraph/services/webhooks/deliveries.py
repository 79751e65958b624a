"""What was sent: a portal's events with every attempt, and sending one again."""

from __future__ import annotations

from typing import Any

from hubgraph.errors import ObjectNotFound
from hubgraph.services.clock import iso, now_ms
from hubgraph.services.context import Services
from hubgraph.store import webhooks as store

STATES = {store.PENDING: "PENDING", store.DELIVERED: "DELIVERED", store.DROPPED: "DROPPED"}


def list_deliveries(
    services: Services, portal_id: int, limit: int, app_id: int | None = None
) -> list[dict[str, Any]]:
    """Newest first; each event as sent (payload) with its attempts, oldest first."""
    with services.database.read() as conn:
        found = store.list_events(conn, portal_id, min(max(limit, 1), 1000), app_id)
    return [
        {
            "eventId": e.id,
            "appId": e.app_id,
            "subscriptionId": e.subscription_id,
            "subscriptionType": e.payload.get("subscriptionType"),
            "occurredAt": iso(e.occurred_at),
            "state": STATES[e.state],
            "attemptNumber": e.attempt_number,
            "nextAttemptAt": iso(e.next_attempt_at) if e.state == store.PENDING else None,
            "payload": e.payload,
            "attempts": [a | {"sentAt": iso(a["sentAt"])} for a in attempts],
        }
        for e, attempts in found
    ]


def resend(services: Services, portal_id: int, event_id: int) -> None:
    """Queue the event at once, as its next attempt, whatever happened to it before."""
    with services.database.write() as conn:
        if not store.requeue_event(conn, portal_id, event_id, now_ms()):
            raise ObjectNotFound(f"No webhook event {event_id} in portal {portal_id}")


def pending_count(services: Services) -> int:
    """Outbox events of every portal still to be delivered (``/_hubgraph/metrics``)."""
    with services.database.read() as conn:
        return store.count_pending_events(conn)
