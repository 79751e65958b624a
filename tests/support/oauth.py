"""OAuth test shortcuts: mint a code through the control plane, exchange it."""

from __future__ import annotations

from typing import Any

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
