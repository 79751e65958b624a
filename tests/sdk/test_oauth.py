"""The official SDK's OAuth helper gets a token from a real server, then uses it."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest
from hubspot import Client
from hubspot.crm.associations.v4 import (
    BatchInputPublicDefaultAssociationMultiPost,
    PublicDefaultAssociationMultiPost,
)
from hubspot.crm.associations.v4.exceptions import ApiException as AssociationsApiException
from hubspot.oauth.exceptions import ApiException as OAuthApiException

from hubgraph.app import create_app
from hubgraph.services.access import oauth, users
from hubgraph.services.context import Services
from hubgraph.testing import ServerThread
from tests.support.oauth import PASSWORD, approve_in_browser
from tests.support.portals import Portal
from tests.support.sdk import create_records

REDIRECT_URI = "http://localhost:3000/oauth-callback"


@pytest.fixture
def oauth_app(services: Services) -> oauth.AppCredentials:
    return oauth.create_app(services, "SDK app", [REDIRECT_URI])


def sign_in_and_approve(
    services: Services, base_url: str, app: oauth.AppCredentials, portal_id: int
) -> str:
    """A user of the portal signs in on the consent page and connects the app."""
    email = f"sdk-{uuid.uuid4().hex[:8]}@example.com"
    users.create_user(services, portal_id, email, PASSWORD)
    with httpx.Client(base_url=base_url) as browser:
        return approve_in_browser(
            browser, app.client_id, portal_id, email, redirect_uri=REDIRECT_URI
        )


def test_sdk_oauth_flow_then_associations_call(
    server: ServerThread, services: Services, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    code = sign_in_and_approve(services, server.base_url, oauth_app, portal.id)
    anonymous = Client.create(host=server.base_url)
    tokens = anonymous.oauth.tokens_api.create(
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT_URI,
        client_id=oauth_app.client_id,
        client_secret=oauth_app.client_secret,
    )
    assert tokens.expires_in == 1800
    assert tokens.token_type == "bearer"
    assert tokens.refresh_token

    api = Client.create(access_token=tokens.access_token, host=server.base_url)
    [contact] = create_records(api, "contacts", 1)
    [company] = create_records(api, "companies", 1)
    batch = BatchInputPublicDefaultAssociationMultiPost(
        inputs=[PublicDefaultAssociationMultiPost(_from={"id": contact}, to={"id": company})]
    )
    response = api.crm.associations.v4.batch_api.create_default("contacts", "companies", batch)
    assert response.status == "COMPLETE"
    assert {(r._from.id, r.to.id) for r in response.results} == {
        (contact, company),
        (company, contact),
    }

    info = anonymous.oauth.access_tokens_api.get(tokens.access_token)
    assert info.hub_id == portal.id
    refreshed = anonymous.oauth.tokens_api.create(
        grant_type="refresh_token",
        refresh_token=tokens.refresh_token,
        client_id=oauth_app.client_id,
        client_secret=oauth_app.client_secret,
    )
    assert refreshed.refresh_token == tokens.refresh_token
    assert refreshed.access_token != tokens.access_token


def test_sdk_sees_a_bad_code_as_400(server: ServerThread, oauth_app: oauth.AppCredentials) -> None:
    anonymous = Client.create(host=server.base_url)
    with pytest.raises(OAuthApiException) as info:
        anonymous.oauth.tokens_api.create(
            grant_type="authorization_code",
            code="never-issued",
            redirect_uri=REDIRECT_URI,
            client_id=oauth_app.client_id,
            client_secret=oauth_app.client_secret,
        )
    assert info.value.status == 400
    assert json.loads(info.value.body)["status"] == "BAD_AUTH_CODE"


@pytest.fixture
def expiring_server(services: Services) -> Iterator[ServerThread]:
    """A server whose access tokens are born two minutes expired."""
    settings = services.settings.model_copy(update={"oauth_access_token_ttl_seconds": -120})
    app = create_app(settings, dataclasses.replace(services, settings=settings))
    with ServerThread(app) as running:
        yield running


def test_sdk_call_with_an_expired_token_is_401_expired_authentication(
    expiring_server: ServerThread,
    services: Services,
    portal: Portal,
    oauth_app: oauth.AppCredentials,
) -> None:
    code = sign_in_and_approve(services, expiring_server.base_url, oauth_app, portal.id)
    anonymous = Client.create(host=expiring_server.base_url)
    tokens = anonymous.oauth.tokens_api.create(
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT_URI,
        client_id=oauth_app.client_id,
        client_secret=oauth_app.client_secret,
    )
    api = Client.create(access_token=tokens.access_token, host=expiring_server.base_url)
    batch = BatchInputPublicDefaultAssociationMultiPost(inputs=[])
    with pytest.raises(AssociationsApiException) as info:
        api.crm.associations.v4.batch_api.create_default("contacts", "companies", batch)
    assert info.value.status == 401
    body = json.loads(info.value.body)
    assert body["category"] == "EXPIRED_AUTHENTICATION"
    assert body["message"] == "The OAuth token used to make this call expired 2 minute(s) ago."


def test_concurrent_exchanges_of_one_code_yield_one_token(
    server: ServerThread, services: Services, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    code = sign_in_and_approve(services, server.base_url, oauth_app, portal.id)
    form = {
        "grant_type": "authorization_code",
        "client_id": oauth_app.client_id,
        "client_secret": oauth_app.client_secret,
        "redirect_uri": REDIRECT_URI,
        "code": code,
    }

    def exchange(_: int) -> int:
        with httpx.Client(base_url=server.base_url) as http:
            return http.post("/oauth/v1/token", data=form).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(exchange, range(4)))
    assert statuses == [200, 400, 400, 400]
