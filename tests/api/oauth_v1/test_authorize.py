"""``/oauth/authorize``: the consent page, approving it, and auto-approval for CI."""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from hubgraph.app import create_app
from hubgraph.services.access import oauth
from hubgraph.services.context import Services
from tests.support.oauth import REDIRECT_URI, exchange_code
from tests.support.portals import Portal


def authorize_params(app: oauth.AppCredentials, **extra: str) -> dict[str, str]:
    return {"client_id": app.client_id, "redirect_uri": REDIRECT_URI, "state": "xyz"} | extra


def test_consent_page_lists_the_scopes_and_the_portals(
    client: TestClient, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    response = client.get(
        "/oauth/authorize",
        params=authorize_params(oauth_app, scope="crm.objects.contacts.read"),
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "crm.objects.contacts.read" in response.text
    assert f'<option value="{portal.id}">' in response.text
    assert re.search(r'name="state" value="xyz"', response.text)


def test_approving_redirects_back_with_code_and_state(
    client: TestClient, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    form = authorize_params(oauth_app, portal_id=str(portal.id), decision="approve")
    response = client.post("/oauth/authorize", data=form, follow_redirects=False)
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    tokens = exchange_code(client, oauth_app, query["code"][0])
    assert tokens["hub_id"] == portal.id


def test_denying_redirects_back_with_access_denied(
    client: TestClient, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    form = authorize_params(oauth_app, portal_id=str(portal.id), decision="deny")
    response = client.post("/oauth/authorize", data=form, follow_redirects=False)
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["location"]).query) == {
        "error": ["access_denied"],
        "state": ["xyz"],
    }


def test_unknown_redirect_uri_is_an_error_page_not_a_redirect(
    client: TestClient, oauth_app: oauth.AppCredentials
) -> None:
    params = authorize_params(oauth_app) | {"redirect_uri": "https://evil.example.com/"}
    response = client.get("/oauth/authorize", params=params, follow_redirects=False)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "redirect_uri" in response.text


def test_auto_approve_redirects_at_once(
    services: Services, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    settings = services.settings.model_copy(update={"oauth_auto_approve_portal": portal.id})
    with TestClient(create_app(settings, dataclasses.replace(services, settings=settings))) as c:
        response = c.get(
            "/oauth/authorize", params=authorize_params(oauth_app), follow_redirects=False
        )
        assert response.status_code == 302
        code = parse_qs(urlsplit(response.headers["location"]).query)["code"][0]
        assert exchange_code(c, oauth_app, code)["hub_id"] == portal.id
