"""An OAuth app, and codes and tokens got through hubgraph's real endpoints."""

from __future__ import annotations

import pytest

from hubgraph.services.access import oauth
from hubgraph.services.context import Services
from tests.support.oauth import REDIRECT_URI


@pytest.fixture
def oauth_app(services: Services) -> oauth.AppCredentials:
    return oauth.create_app(services, "Test app", [REDIRECT_URI])
