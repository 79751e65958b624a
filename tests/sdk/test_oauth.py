"""The official SDK's OAuth helper gets a token from a real server, then uses it."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit

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
from hubgraph.services.access import oauth
from hubgraph.services.context import Services
from hubgraph.testing import ServerThread
from tests.support.portals import Portal
from tests.support.sdk import create_records

REDIRECT_URI = "http://localhost:3000/oauth-callback"


@pytest.fixture
def oauth_app(services: Services) -> oauth.AppCredentials:
    return oauth.create_app(services, "SDK app", [REDIRECT_URI])


def approve_in_browser(base_url: str, app: oauth.AppCredentials, portal_id: int) -> str:
    """What a user does: open the authorize URL, pick the account, press Connect."""
    params = {"client_id": app.client_id, "redirect_uri": REDIRECT_URI, "state": "s1"}
    with httpx.Client(base_url=base_url) as browser:
        page = browser.get("/oauth/authorize", params=params)
        assert page.status_code == 200
        assert f'value="{portal_id}"' in page.text
        approved = browser.post(
            "/oauth/authorize",
            data=params | {"portal_id": str(portal_id), "decision": "approve"},
        )
    assert approved.status_code == 302
    query = parse_qs(urlsplit(approved.headers["location"]).query)
    assert query["state"] == ["s1"]
    return query["code"][0]


def test_sdk_oauth_flow_then_associations_call(
    server: ServerThread, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    code = approve_in_browser(server.base_url, oauth_app, portal.id)
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
    expiring_server: ServerThread, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    code = approve_in_browser(expiring_server.base_url, oauth_app, portal.id)
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
    server: ServerThread, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    code = approve_in_browser(server.base_url, oauth_app, portal.id)
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
