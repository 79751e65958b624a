"""App webhooks end to end: writes through the official SDK on a real server, events
received by a real HTTP endpoint, signatures checked with the SDK's own validator."""

from __future__ import annotations

import functools
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from hubspot.crm.contacts import SimplePublicObjectInputForCreate
from hubspot.utils.signature import Signature

from hubgraph.testing.fixtures import HubgraphServer
from hubgraph.testing.webhooks import HubgraphWebhooks, WebhookReceiver
from tests.support.portals import postgres_database
from tests.support.webhooks import FAST, assert_signed, by_type, sdk


def test_signed_events_for_record_and_association_writes(hooks: HubgraphWebhooks) -> None:
    hooks.subscribe(
        "contact.creation",
        "company.creation",
        "contact.propertyChange:email",
        "contact.associationChange",
        "company.associationChange",
        "contact.deletion",
    )
    client = sdk(hooks.portal)
    contact = client.crm.contacts.basic_api.create(
        SimplePublicObjectInputForCreate(properties={"email": "ada@example.com"})
    ).id
    company = client.crm.companies.basic_api.create(
        SimplePublicObjectInputForCreate(properties={"name": "Analytical"})
    ).id
    client.crm.associations.v4.basic_api.create_default("contacts", contact, "companies", company)
    client.crm.contacts.basic_api.update(contact, {"properties": {"email": "ada@lovelace.org"}})
    client.crm.contacts.basic_api.archive(contact)

    events = hooks.wait_for(8)
    created = by_type(events, "contact.creation")
    assert len(created) == 1
    first = created[0]
    assert list(first)[:7] == [
        "eventId",
        "subscriptionId",
        "portalId",
        "appId",
        "occurredAt",
        "subscriptionType",
        "attemptNumber",
    ]
    assert first["objectId"] == int(contact)
    assert first["changeFlag"] == "CREATED"
    assert first["portalId"] == hooks.portal.id
    assert first["appId"] == hooks.app_id
    assert first["attemptNumber"] == 0
    assert isinstance(first["eventId"], int)
    assert by_type(events, "company.creation")[0]["objectId"] == int(company)
    [changed] = by_type(events, "contact.propertyChange")
    assert (changed["propertyName"], changed["propertyValue"]) == ("email", "ada@lovelace.org")
    contact_side = by_type(events, "contact.associationChange")
    company_side = by_type(events, "company.associationChange")
    added = [e for e in contact_side if not e["associationRemoved"]]
    assert [(e["associationType"], e["fromObjectId"], e["toObjectId"]) for e in added] == [
        ("CONTACT_TO_COMPANY", int(contact), int(company))
    ]
    assert added[0]["isPrimaryAssociation"] is False
    assert [
        (e["associationType"], e["fromObjectId"], e["associationRemoved"]) for e in company_side
    ] == [("COMPANY_TO_CONTACT", int(company), False), ("COMPANY_TO_CONTACT", int(company), True)]
    assert [e["associationRemoved"] for e in contact_side] == [False, True]
    assert by_type(events, "contact.deletion")[0]["changeFlag"] == "DELETED"
    assert len({e["eventId"] for e in events}) == len(events)

    for request in hooks.receiver.requests:
        assert_signed(hooks, request)
        headers = {k.lower(): v for k, v in request.headers.items()}
        assert not Signature.is_valid(
            signature=headers["x-hubspot-signature"],
            client_secret="another-secret",
            request_body=request.body.decode(),
            signature_version="v1",
        )


def test_a_failed_delivery_is_retried_with_the_same_event_id(hooks: HubgraphWebhooks) -> None:
    hooks.subscribe("contact.creation")
    hooks.receiver.respond_with(500)
    contact = (
        sdk(hooks.portal)
        .crm.contacts.basic_api.create(
            SimplePublicObjectInputForCreate(properties={"firstname": "Retry"})
        )
        .id
    )
    first, second = hooks.wait_for(2)
    assert first["eventId"] == second["eventId"]
    assert (first["attemptNumber"], second["attemptNumber"]) == (0, 1)
    assert second["objectId"] == int(contact)
    assert [r.status for r in hooks.receiver.requests] == [500, 204]

    with httpx.Client(base_url=hooks.portal.base_url) as http:
        shown = http.get(f"/_hubgraph/portals/{hooks.portal.id}/webhooks/events").json()
        [event] = shown["results"]
        assert event["state"] == "DELIVERED"
        assert [a["statusCode"] for a in event["attempts"]] == [500, 204]
        resent = http.post(
            f"/_hubgraph/portals/{hooks.portal.id}/webhooks/events/{event['eventId']}/resend"
        )
        assert resent.status_code == 204
    third = hooks.wait_for(3)[2]
    assert (third["eventId"], third["attemptNumber"]) == (first["eventId"], 1)


def test_retries_stop_after_the_schedule(hooks: HubgraphWebhooks) -> None:
    hooks.subscribe("company.creation")
    hooks.receiver.respond_with(503, 503, 503, 503)
    sdk(hooks.portal).crm.companies.basic_api.create(
        SimplePublicObjectInputForCreate(properties={"name": "Unlucky"})
    )
    attempts = hooks.wait_for(3)
    assert [e["attemptNumber"] for e in attempts] == [0, 1, 2]  # FAST: two retries
    time.sleep(1.0)
    assert len(hooks.receiver.requests) == 3
    with httpx.Client(base_url=hooks.portal.base_url) as http:
        shown = http.get(f"/_hubgraph/portals/{hooks.portal.id}/webhooks/events").json()
    assert shown["results"][0]["state"] == "DROPPED"


def test_only_installed_portals_and_committed_writes_send(
    hub: HubgraphServer, hooks: HubgraphWebhooks
) -> None:
    hooks.subscribe("contact.creation")
    outsider = hub.new_portal()  # the app is not installed there
    sdk(outsider).crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties={}))
    with httpx.Client(
        base_url=hub.base_url, headers={"Authorization": f"Bearer {hooks.portal.token}"}
    ) as http:
        # a create whose association is invalid fails whole: its record never commits
        refused = http.post(
            "/crm/v3/objects/contacts",
            json={
                "properties": {"firstname": "Ghost"},
                "associations": [
                    {
                        "to": {"id": "999999999"},
                        "types": [
                            {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279}
                        ],
                    }
                ],
            },
        )
        assert refused.status_code == 400, refused.text
        kept = http.post("/crm/v3/objects/contacts", json={"properties": {"firstname": "Real"}})
        assert kept.status_code == 201
    [event] = hooks.wait_for(1)
    assert event["objectId"] == int(kept.json()["id"])
    time.sleep(0.5)
    assert len(hooks.receiver.events) == 1


def test_paused_subscriptions_and_deleted_settings_send_nothing(hooks: HubgraphWebhooks) -> None:
    from hubgraph.services.webhooks import management

    hooks.subscribe("deal.creation")
    services = hooks.portal.server.services
    app = management.DeveloperApp(hooks.app_id)
    management.set_subscription_active(services, app, hooks.subscriptions[0], False)
    client = sdk(hooks.portal)
    client.crm.deals.basic_api.create(SimplePublicObjectInputForCreate(properties={}))
    management.set_subscription_active(services, app, hooks.subscriptions[0], True)
    management.delete_settings(services, app)
    deal = client.crm.deals.basic_api.create(SimplePublicObjectInputForCreate(properties={})).id
    time.sleep(0.5)
    assert hooks.receiver.requests == []
    management.put_settings(services, app, hooks.receiver.url, 10, None)
    [event] = hooks.wait_for(1)
    assert event["objectId"] == int(deal)


@pytest.fixture(params=["sqlite", "postgresql"])
def own_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database no running server delivers from."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.db'}"
    else:
        yield from postgres_database()


def test_events_survive_a_kill_before_delivery(own_database: str) -> None:
    """SIGKILL after the write committed, before any delivery: sent after the restart."""
    from hubgraph.testing import ServeProcess

    url = own_database
    with WebhookReceiver() as receiver:
        hub = HubgraphServer(url)  # only to set the portal and the app up; never started
        hooks = HubgraphWebhooks(hub.new_portal(), receiver).subscribe("contact.creation")
        hub.services.close()
        env = {"HUBGRAPH_WEBHOOK_DELIVERY": "false"}
        with ServeProcess(url, env=env) as first:
            created = httpx.post(
                f"{first.base_url}/crm/v3/objects/contacts",
                json={"properties": {}},
                headers={"Authorization": f"Bearer {hooks.portal.token}"},
            )
            assert created.status_code == 201
            assert first.process is not None
            os.killpg(first.process.pid, signal.SIGKILL)
            first.process.wait()
        assert receiver.requests == []
        with ServeProcess(url, env={"HUBGRAPH_WEBHOOK_POLL_INTERVAL_MS": "50"}):
            [event] = receiver.wait_for(1)
        assert event["objectId"] == int(created.json()["id"])


def test_two_nodes_on_one_postgresql_never_send_the_same_attempt() -> None:
    """Two servers, one database, both polling: every (eventId, attemptNumber) arrives once."""
    urls = postgres_database()
    url = next(urls)
    try:
        with (
            HubgraphServer(url, FAST) as one,
            HubgraphServer(url, FAST) as two,
            WebhookReceiver() as receiver,
        ):
            hooks = HubgraphWebhooks(one.new_portal(), receiver).subscribe("contact.creation")
            receiver.respond_with(500, 500)  # FAST allows two retries: no event is dropped
            for i, base_url in enumerate([one.base_url, two.base_url] * 15):
                created = httpx.post(
                    f"{base_url}/crm/v3/objects/contacts",
                    json={"properties": {"firstname": f"n{i}"}},
                    headers={"Authorization": f"Bearer {hooks.portal.token}"},
                )
                assert created.status_code == 201
            deadline = time.monotonic() + 30
            while len(delivered(receiver)) < 30 and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1.0)  # room for a duplicate to show up
            assert len(delivered(receiver)) == 30
            sent = [(e["eventId"], e["attemptNumber"]) for e in receiver.events]
            retried = sum(len(r.events) for r in receiver.requests if r.status == 500)
            assert len(sent) == len(set(sent)) == 30 + retried
    finally:
        for _ in urls:
            pass


def delivered(receiver: WebhookReceiver) -> set[int]:
    return {e["eventId"] for r in receiver.requests if r.status == 204 for e in r.events}


def test_the_retry_schedule_comes_from_the_environment(tmp_path: Path) -> None:
    """``HUBGRAPH_WEBHOOK_RETRY_SCHEDULE=0.2`` on ``hubgraph serve``: one retry 0.2 s after
    the first failure (HubSpot's schedule would wait a minute), then the event is dropped."""
    from hubgraph.testing import ServeProcess

    url = f"sqlite:///{tmp_path / 'schedule.db'}"
    with WebhookReceiver() as receiver:
        hub = HubgraphServer(url)  # only to set the portal and the app up; never started
        hooks = HubgraphWebhooks(hub.new_portal(), receiver).subscribe("contact.creation")
        hub.services.close()
        receiver.respond_with(500, 500, 500)
        env = {
            "HUBGRAPH_WEBHOOK_RETRY_SCHEDULE": "0.2",
            "HUBGRAPH_WEBHOOK_POLL_INTERVAL_MS": "50",
        }
        with ServeProcess(url, env=env) as server:
            created = httpx.post(
                f"{server.base_url}/crm/v3/objects/contacts",
                json={"properties": {}},
                headers={"Authorization": f"Bearer {hooks.portal.token}"},
            )
            assert created.status_code == 201
            first, retry = receiver.wait_for(2)
            events_url = f"{server.base_url}/_hubgraph/portals/{hooks.portal.id}/webhooks/events"
            deadline = time.monotonic() + 15
            while (shown := httpx.get(events_url).json()["results"][0])["state"] == "PENDING":
                if time.monotonic() > deadline:
                    break
                time.sleep(0.05)
        assert (first["eventId"], first["attemptNumber"]) == (retry["eventId"], 0)
        assert retry["attemptNumber"] == 1
        assert shown["state"] == "DROPPED"
        assert [a["statusCode"] for a in shown["attempts"]] == [500, 500]
        assert len(receiver.requests) == 2


class HoldingReceiver:
    """Holds every request until released; counts how many are in flight at once."""

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from hubgraph.testing.server import free_port

        self.in_flight = self.most = self.events = 0
        self.release = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    receiver.in_flight += 1
                    receiver.most = max(receiver.most, receiver.in_flight)
                receiver.release.wait(60)
                with receiver._lock:
                    receiver.in_flight -= 1
                    receiver.events += len(json.loads(body))
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", free_port("127.0.0.1")), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/hooks"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def until(self, done: Callable[[], bool], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not done() and time.monotonic() < deadline:
            time.sleep(0.02)

    def more_than(self, count: int) -> bool:
        return self.in_flight > count

    def close(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()


def test_requests_in_flight_stay_within_max_concurrent_requests(tmp_path: Path) -> None:
    """Six in flight at most for an app and portal with ``maxConcurrentRequests: 6`` (§5.2):
    events made while six requests hang wait for one of them to finish."""
    from hubgraph.config import Settings
    from hubgraph.services.webhooks import management

    patient = Settings(webhook_poll_interval_ms=20, webhook_timeout_ms=60_000)
    receiver = HoldingReceiver()
    try:
        with (
            HubgraphServer(f"sqlite:///{tmp_path / 'c.db'}", patient) as hub,
            WebhookReceiver() as unused,  # the settings below point elsewhere
        ):
            hooks = HubgraphWebhooks(hub.new_portal(), unused)
            hooks.subscribe("contact.creation")
            management.put_settings(
                hub.services, management.DeveloperApp(hooks.app_id), receiver.url, 6, None
            )
            contacts = sdk(hooks.portal).crm.contacts.basic_api
            made = 0
            while receiver.in_flight < 6 and made < 30:
                before = receiver.in_flight
                contacts.create(SimplePublicObjectInputForCreate(properties={}))
                made += 1
                # its request (a write's events travel together) before the next write
                receiver.until(functools.partial(receiver.more_than, before), timeout=2)
            for _ in range(3):  # these must wait
                contacts.create(SimplePublicObjectInputForCreate(properties={}))
                made += 1
            time.sleep(0.5)  # room for a seventh request to show up, were it sent
            assert (receiver.in_flight, receiver.most) == (6, 6)
            receiver.release.set()
            receiver.until(lambda: receiver.events >= made)
            assert receiver.events == made
            assert receiver.most == 6
    finally:
        receiver.close()


def test_a_worker_with_nothing_due_never_makes_its_http_client(tmp_path: Path) -> None:
    """The delivery worker's HTTP client is made at the first due event: a worker that has
    nothing to send (most) never imports httpcore's backends (0.14 s of its start-up).
    Run in a fresh interpreter, so what the test process imported does not count; that a
    due event still goes out is every other test here."""
    import subprocess
    import sys

    script = f"""
import asyncio, sys
from hubgraph.config import Settings
from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.services.webhooks.delivery import deliveries_running

url = "sqlite:///{tmp_path / "idle.db"}"
services = Services.from_settings(Settings(database_url=url, webhook_poll_interval_ms=10))
portals.upgrade_database(services)

async def idle() -> None:
    async with deliveries_running(services):
        await asyncio.sleep(0.3)  # ~30 rounds with nothing due

asyncio.run(idle())
services.close()
print(sorted({{"httpcore2", "trio"}} & sys.modules.keys()))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
