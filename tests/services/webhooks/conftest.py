"""A webhooks server per database for this package and a receiver per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hubgraph.testing.fixtures import HubgraphServer
from hubgraph.testing.webhooks import HubgraphWebhooks, WebhookReceiver
from tests.support.portals import postgres_database
from tests.support.webhooks import FAST


@pytest.fixture(scope="package", params=["sqlite", "postgresql"])
def hub(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HubgraphServer]:
    """A server of its own (its own database): no other test's worker delivers its events.
    Each test gets its own portal and app, so tests never see each other's events."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path_factory.mktemp('hooks') / 'h.db'}"])
    else:
        urls = postgres_database()
    url = next(urls)
    with HubgraphServer(url, FAST) as server:
        yield server
    for _ in urls:  # drops the PostgreSQL database
        pass


@pytest.fixture
def hooks(hub: HubgraphServer) -> Iterator[HubgraphWebhooks]:
    with WebhookReceiver() as receiver:
        yield HubgraphWebhooks(hub.new_portal(), receiver)
