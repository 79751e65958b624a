"""A real hubgraph server on a free port, and the official SDK pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hubspot import Client

from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.services.context import Services
from hubgraph.testing import ServerThread
from tests.support.portals import Portal


@pytest.fixture(scope="session")
def server(settings: Settings, services: Services) -> Iterator[ServerThread]:
    with ServerThread(create_app(settings, services)) as running:
        yield running


@pytest.fixture
def sdk(server: ServerThread, portal: Portal) -> Client:
    return Client.create(access_token=portal.token, host=server.base_url)
