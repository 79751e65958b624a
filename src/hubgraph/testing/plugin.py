"""The pytest plugin, registered through the ``pytest11`` entry point: no set-up needed.

Fixtures (none is autouse; all but ``hubspot_client`` start with ``hubgraph_``):

- ``hubgraph_server`` (session): a real server on a free port, on a temporary SQLite
  file, or on ``HUBGRAPH_TEST_DATABASE_URL``; ``.base_url``, ``.new_portal()``.
- ``hubgraph_portal``: a fresh portal per test, so tests never see each other's data;
  ``.id``, ``.token``, ``.seed(file)``, ``.snapshot()``, ``.restore(s)``, ``.reset()``.
- ``hubgraph_token``: a token for that portal with every CRM scope.
- ``hubspot_client``: the official ``hubspot.Client`` for that token and server
  (needs ``hubspot-api-client``: ``pip install 'hubgraph[sdk]'``).
- ``hubgraph_webhooks``: an HTTP endpoint on a free port that records app webhooks, and
  ``.subscribe("contact.creation", "contact.propertyChange:email", …)``, which installs an
  app in the portal with those subscriptions pointing at it; ``.wait_for(n, type)``.

This module is imported by every pytest session of any project that installs hubgraph,
so it imports nothing heavy until a fixture is used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from hubgraph.testing.fixtures import HubgraphPortal, HubgraphServer
    from hubgraph.testing.webhooks import HubgraphWebhooks

DATABASE_URL_VARIABLE = "HUBGRAPH_TEST_DATABASE_URL"


@pytest.fixture(scope="session")
def hubgraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubgraphServer]:
    from hubgraph.testing.fixtures import HubgraphServer

    url = os.environ.get(DATABASE_URL_VARIABLE)
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('hubgraph') / 'hubgraph.db'}"
    with HubgraphServer(url) as server:
        yield server


@pytest.fixture
def hubgraph_portal(hubgraph_server: HubgraphServer) -> HubgraphPortal:
    return hubgraph_server.new_portal()


@pytest.fixture
def hubgraph_token(hubgraph_portal: HubgraphPortal) -> str:
    return hubgraph_portal.token


@pytest.fixture
def hubspot_client(request: pytest.FixtureRequest) -> Any:
    try:
        from hubspot import Client
    except ImportError:
        pytest.fail(
            "the hubspot_client fixture needs HubSpot's SDK: pip install 'hubgraph[sdk]'",
            pytrace=False,
        )
    # Asked for only now, so a missing SDK fails before a server starts for nothing.
    server: HubgraphServer = request.getfixturevalue("hubgraph_server")
    token: str = request.getfixturevalue("hubgraph_token")
    return Client.create(access_token=token, host=server.base_url)


@pytest.fixture
def hubgraph_webhooks(hubgraph_portal: HubgraphPortal) -> Iterator[HubgraphWebhooks]:
    from hubgraph.testing.webhooks import HubgraphWebhooks, WebhookReceiver

    with WebhookReceiver() as receiver:
        yield HubgraphWebhooks(hubgraph_portal, receiver)
