"""``/_hubgraph/metrics`` counts what the webhook outbox takes in and what deliveries meet."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from hubspot.crm.contacts import SimplePublicObjectInputForCreate
from prometheus_client.parser import text_string_to_metric_families

from hubgraph.services.webhooks import management
from hubgraph.services.webhooks.delivery import Outcome
from hubgraph.testing.server import free_port
from hubgraph.testing.webhooks import HubgraphWebhooks, WebhookReceiver
from tests.support.webhooks import sdk

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(hooks: HubgraphWebhooks) -> Samples:
    return scrape_url(hooks.portal.base_url)


def scrape_url(base_url: str) -> Samples:
    text = httpx.get(f"{base_url}/_hubgraph/metrics").text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def events_when(
    hooks: HubgraphWebhooks, done: Callable[[list[dict[str, Any]]], bool]
) -> list[dict[str, Any]]:
    """The portal's deliveries (control plane) once ``done`` holds for them."""
    url = f"{hooks.portal.base_url}/_hubgraph/portals/{hooks.portal.id}/webhooks/events"
    deadline = time.monotonic() + 15
    while True:
        found: list[dict[str, Any]] = httpx.get(url).json()["results"]
        if done(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def create_contact(hooks: HubgraphWebhooks) -> None:
    sdk(hooks.portal).crm.contacts.basic_api.create(
        SimplePublicObjectInputForCreate(properties={"firstname": "Counted"})
    )


def test_enqueued_attempts_by_outcome_and_retries(hooks: HubgraphWebhooks) -> None:
    before = scrape(hooks)
    hooks.subscribe("contact.creation")
    hooks.receiver.respond_with(500, 404)  # then 204
    create_contact(hooks)
    hooks.wait_for(3)
    [event] = events_when(hooks, lambda es: bool(es) and es[0]["state"] == "DELIVERED")
    assert [a["statusCode"] for a in event["attempts"]] == [500, 404, 204]
    after = scrape(hooks)
    enqueued = "hubgraph_webhook_events_enqueued_total"
    attempts = "hubgraph_webhook_delivery_attempts_total"
    assert moved(before, after, enqueued, subscription_type="contact.creation") >= 1
    assert moved(before, after, attempts, outcome="http_5xx") >= 1
    assert moved(before, after, attempts, outcome="http_4xx") >= 1
    assert moved(before, after, attempts, outcome="success") >= 1
    assert moved(before, after, "hubgraph_webhook_retries_scheduled_total") >= 2


def test_connection_errors_drops_and_pending(hooks: HubgraphWebhooks) -> None:
    services = hooks.portal.server.services
    hooks.subscribe("contact.creation")
    app = management.DeveloperApp(hooks.app_id)
    management.delete_settings(services, app)  # deliveries paused: the event waits
    create_contact(hooks)
    waiting = scrape(hooks)
    assert waiting[("hubgraph_webhook_events_pending", ())] >= 1
    nobody = f"http://127.0.0.1:{free_port('127.0.0.1')}/webhooks"  # nothing listens
    before = scrape(hooks)
    management.put_settings(services, app, nobody, 10, None)
    [event] = events_when(hooks, lambda es: bool(es) and es[0]["state"] == "DROPPED")
    assert len(event["attempts"]) == 3  # the first attempt and FAST's two retries
    assert all(a["statusCode"] is None and a["error"] for a in event["attempts"])
    after = scrape(hooks)
    attempts = "hubgraph_webhook_delivery_attempts_total"
    assert moved(before, after, attempts, outcome="connection_error") >= 3
    assert moved(before, after, "hubgraph_webhook_retries_scheduled_total") >= 2
    assert moved(before, after, "hubgraph_webhook_events_dropped_total") >= 1


@pytest.mark.parametrize(
    ("outcome", "label"),
    [
        (Outcome(204, None, 1), "success"),
        (Outcome(302, None, 1), "http_3xx"),
        (Outcome(429, None, 1), "http_4xx"),
        (Outcome(503, None, 1), "http_5xx"),
        (Outcome(102, None, 1), "http_other"),
        (Outcome(None, "ReadTimeout: …", 5000, timed_out=True), "timeout"),
        (Outcome(None, "ConnectError: refused", 1), "connection_error"),
    ],
)
def test_outcome_labels(outcome: Outcome, label: str) -> None:
    assert outcome.label == label


def test_two_workers_add_up_their_webhook_counters(tmp_path: Path) -> None:
    """``hubgraph serve --workers 2``: whichever worker answers a scrape counts every event."""
    from hubgraph.testing import ServeProcess
    from hubgraph.testing.fixtures import HubgraphServer

    url = f"sqlite:///{tmp_path / 'workers.db'}"
    with WebhookReceiver() as receiver:
        setup = HubgraphServer(url)  # only to set the portal and the app up; never started
        hooks = HubgraphWebhooks(setup.new_portal(), receiver).subscribe("contact.creation")
        setup.services.close()
        env = {"HUBGRAPH_WEBHOOK_POLL_INTERVAL_MS": "50"}
        with ServeProcess(url, workers=2, env=env) as server:
            for i in range(6):  # a connection each, so the kernel spreads them
                created = httpx.post(
                    f"{server.base_url}/crm/v3/objects/contacts",
                    json={"properties": {"firstname": f"w{i}"}},
                    headers={"Authorization": f"Bearer {hooks.portal.token}"},
                )
                assert created.status_code == 201
            receiver.wait_for(6, timeout=60)  # two workers starting on a busy machine
            success = ("hubgraph_webhook_delivery_attempts_total", (("outcome", "success"),))
            enqueued = (
                "hubgraph_webhook_events_enqueued_total",
                (("subscription_type", "contact.creation"),),
            )
            deadline = time.monotonic() + 60
            scraped = scrape_url(server.base_url)
            while scraped.get(success) != 6.0 and time.monotonic() < deadline:
                time.sleep(0.05)  # the results are written just after the receiver answers
                scraped = scrape_url(server.base_url)
            scrapes = [scrape_url(server.base_url) for _ in range(4)]
    for s in scrapes:
        assert (s[enqueued], s[success]) == (6.0, 6.0)
        assert s[("hubgraph_webhook_events_pending", ())] == 0.0
