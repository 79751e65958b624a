"""Receiving app webhooks in a test: an HTTP endpoint on a free port that records what came.

``WebhookReceiver`` is a plain threaded HTTP server: it records each request (headers and
raw body) and answers with the statuses a test queues (204 once the queue is empty), so
retries can be provoked. ``HubgraphWebhooks`` (the ``hubgraph_webhooks`` fixture) adds an
app installed in the test's portal whose webhooks point at the receiver.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any

from hubgraph.testing.server import free_port

if TYPE_CHECKING:
    from hubgraph.testing.fixtures import HubgraphPortal

REDIRECT_URI = "http://127.0.0.1/hubgraph-webhooks/callback"


@dataclass(frozen=True)
class ReceivedRequest:
    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def events(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = json.loads(self.body)
        return found


class WebhookReceiver:
    """Records every POST; answers with queued statuses, then 204."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.requests: list[ReceivedRequest] = []
        self._statuses: deque[int] = deque()
        self._changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._changed:
                    status = receiver._statuses.popleft() if receiver._statuses else 204
                    receiver.requests.append(ReceivedRequest(dict(self.headers), body, status))
                    receiver._changed.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the test reads requests, not logs

        self._server = ThreadingHTTPServer((host, free_port(host)), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.url = f"http://{host}:{self._server.server_port}/webhooks"

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def respond_with(self, *statuses: int) -> None:
        """The next requests get these statuses, in order (then 204 again)."""
        with self._changed:
            self._statuses.extend(statuses)

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every event of every request, as received (retries included)."""
        with self._changed:
            return [e for r in self.requests for e in r.events]

    def wait_for(
        self,
        count: int = 1,
        matching: Callable[[dict[str, Any]], bool] = lambda _: True,
        timeout: float = 15.0,
    ) -> list[dict[str, Any]]:
        """Block until ``count`` received events match; all the matching ones."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [e for r in self.requests for e in r.events if matching(e)]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"{len(found)} of {count} webhook events after {timeout} s: {found}"
                    )
                self._changed.wait(left)


@dataclass
class HubgraphWebhooks:
    """A receiver, and an app installed in the portal whose webhooks go to it."""

    portal: HubgraphPortal
    receiver: WebhookReceiver
    app_id: int = 0
    client_secret: str = ""
    developer_api_key: str = ""
    subscriptions: list[int] = field(default_factory=list)

    def subscribe(self, *event_types: str) -> HubgraphWebhooks:
        """Active subscriptions, e.g. ``"contact.creation"``, ``"contact.propertyChange:email"``."""
        from hubgraph.services.access import oauth
        from hubgraph.services.webhooks import management

        services = self.portal.server.services
        if not self.app_id:
            created = oauth.create_app(services, "hubgraph_webhooks", [REDIRECT_URI])
            code = oauth.issue_code(
                services,
                client_id=created.client_id,
                portal_id=self.portal.id,
                redirect_uri=REDIRECT_URI,
            )
            oauth.exchange(
                services,
                {
                    "grant_type": "authorization_code",
                    "client_id": created.client_id,
                    "client_secret": created.client_secret,
                    "redirect_uri": REDIRECT_URI,
                    "code": code,
                },
            )
            self.app_id = created.app_id
            self.client_secret = created.client_secret
            self.developer_api_key = created.developer_api_key or ""
            app = management.DeveloperApp(self.app_id)
            management.put_settings(services, app, self.receiver.url, 10, None)
        app = management.DeveloperApp(self.app_id)
        for event_type in event_types:
            name, _, property_name = event_type.partition(":")
            made = management.create_subscription(
                services, app, name, property_name or None, None, True
            )
            self.subscriptions.append(made.id)
        return self

    def wait_for(
        self,
        count: int = 1,
        subscription_type: str | None = None,
        timeout: float = 15.0,
    ) -> list[dict[str, Any]]:
        return self.receiver.wait_for(
            count,
            lambda e: subscription_type is None or e["subscriptionType"] == subscription_type,
            timeout,
        )
