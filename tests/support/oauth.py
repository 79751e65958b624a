"""OAuth test shortcuts: mint a code through the control plane or the consent page, exchange it."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from hubgraph.services.access import oauth

REDIRECT_URI = "https://app.example.com/oauth/callback"


def mint_code(client: TestClient, app: oauth.AppCredentials, portal_id: int, **extra: Any) -> str:
    body = {"clientId": app.client_id, "portalId": portal_id, "redirectUri": REDIRECT_URI}
    response = client.post("/_hubgraph/oauth/codes", json=body | extra)
    assert response.status_code == 201, response.text
    code: str = response.json()["code"]
    return code


def token_request(client: TestClient, form: dict[str, str]) -> Any:
    return client.post("/oauth/v1/token", data=form)


def exchange_code(
    client: TestClient, app: oauth.AppCredentials, code: str, **extra: str
) -> dict[str, Any]:
    form = {
        "grant_type": "authorization_code",
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "redirect_uri": REDIRECT_URI,
        "code": code,
    }
    response = token_request(client, form | extra)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


PASSWORD = "correct horse battery staple"


def hidden_field(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no {name} in the page: {page[:500]}"
    return html.unescape(found.group(1))


def approve_in_browser(
    browser: Any,
    client_id: str,
    portal_id: int,
    email: str,
    password: str = PASSWORD,
    redirect_uri: str = REDIRECT_URI,
    **extra: str,
) -> str:
    """What a user does: open the authorize URL, sign in, pick the account, press Connect.

    ``browser`` is a TestClient or an httpx client: either keeps the CSRF cookie.
    """
    params = {"client_id": client_id, "redirect_uri": redirect_uri, "state": "s1"} | extra
    page = browser.get("/oauth/authorize", params=params)
    assert page.status_code == 200, page.text
    csrf = hidden_field(page.text, "csrf_token")
    signed_in = browser.post(
        "/oauth/authorize",
        data=params | {"step": "sign_in", "csrf_token": csrf, "email": email, "password": password},
    )
    assert signed_in.status_code == 200, signed_in.text
    assert f'value="{portal_id}"' in signed_in.text
    approved = browser.post(
        "/oauth/authorize",
        data=params
        | {
            "csrf_token": csrf,
            "ticket": hidden_field(signed_in.text, "ticket"),
            "portal_id": str(portal_id),
            "decision": "approve",
        },
        follow_redirects=False,
    )
    assert approved.status_code == 302, approved.text
    query = parse_qs(urlsplit(approved.headers["location"]).query)
    assert query["state"] == ["s1"]
    return query["code"][0]
