"""Webhooks tests: developer apps (an app, its key, a URL helper); a fast delivery
schedule; the checks every delivery must pass (signatures verified with the official SDK's
validator)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hubspot import Client
from hubspot.utils.signature import Signature

from hubgraph.config import Settings
from hubgraph.services.access import oauth
from hubgraph.services.context import Services
from hubgraph.testing.fixtures import HubgraphPortal
from hubgraph.testing.webhooks import HubgraphWebhooks, ReceivedRequest

# two retries 0.3 s apart; workers poll every 50 ms
FAST = Settings(webhook_retry_schedule="0.3,0.3", webhook_poll_interval_ms=50)


@dataclass(frozen=True)
class DeveloperApp:
    app_id: int
    api_key: str
    client_secret: str

    def url(self, path: str = "", api_key: str | None = None) -> str:
        key = self.api_key if api_key is None else api_key
        return f"/webhooks/v3/{self.app_id}{path}?hapikey={key}"


def new_developer_app(services: Services) -> DeveloperApp:
    created = oauth.create_app(services, "webhooks test app", ["https://app.example.com/cb"])
    assert created.developer_api_key is not None
    return DeveloperApp(created.app_id, created.developer_api_key, created.client_secret)


def sdk(portal: HubgraphPortal) -> Client:
    return Client.create(access_token=portal.token, host=portal.base_url)


def by_type(events: list[dict[str, Any]], subscription_type: str) -> list[dict[str, Any]]:
    return [e for e in events if e["subscriptionType"] == subscription_type]


def assert_signed(hooks: HubgraphWebhooks, request: ReceivedRequest) -> None:
    """v1 and v3 signatures as HubSpot sends them (§6), per the SDK's ``Signature``."""
    headers = {k.lower(): v for k, v in request.headers.items()}
    body = request.body.decode()
    assert headers["x-hubspot-signature-version"] == "v1"
    assert Signature.is_valid(
        signature=headers["x-hubspot-signature"],
        client_secret=hooks.client_secret,
        request_body=body,
        signature_version="v1",
    )
    assert Signature.is_valid(
        signature=headers["x-hubspot-signature-v3"],
        client_secret=hooks.client_secret,
        request_body=body,
        http_uri=hooks.receiver.url,
        signature_version="v3",
        timestamp=headers["x-hubspot-request-timestamp"],
    )


def request_of(hooks: HubgraphWebhooks, event: dict[str, Any]) -> ReceivedRequest:
    """The request that carried ``event`` (a transaction's events travel in one request)."""
    [found] = [
        r
        for r in hooks.receiver.requests
        if any(
            (e["eventId"], e["attemptNumber"]) == (event["eventId"], event["attemptNumber"])
            for e in r.events
        )
    ]
    return found
