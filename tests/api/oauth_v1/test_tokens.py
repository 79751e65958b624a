"""``POST /oauth/v1/token`` and the token metadata endpoints, through real HTTP."""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from fastapi.testclient import TestClient

from hubgraph.app import create_app
from hubgraph.services.access import oauth
from hubgraph.services.context import Services
from tests.support.oauth import REDIRECT_URI, exchange_code, mint_code, token_request
from tests.support.portals import LOCAL, LOOPBACK, Portal

DEFAULT_ASSOCIATE = "/crm/v4/associations/contacts/companies/batch/associate/default"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def associate(client: TestClient, portal: Portal, token: str) -> int:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    body = {"inputs": [{"from": {"id": contact}, "to": {"id": company}}]}
    response = client.post(DEFAULT_ASSOCIATE, json=body, headers=bearer(token))
    return response.status_code


def test_authorization_code_grant_answers_hubspots_token_response(
    client: TestClient, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    body = exchange_code(client, oauth_app, mint_code(client, oauth_app, portal.id))
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 1800
    assert body["hub_id"] == portal.id
    assert body["token_use"] == "access_token"
    assert body["refresh_token"].startswith("na1-")
    assert "crm.objects.contacts.write" in body["scopes"]
    assert associate(client, portal, body["access_token"]) == 200


def test_a_code_is_single_use(
    client: TestClient, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    code = mint_code(client, oauth_app, portal.id)
    exchange_code(client, oauth_app, code)
    form = {
        "grant_type": "authorization_code",
        "client_id": oauth_app.client_id,
        "client_secret": oauth_app.client_secret,
        "redirect_uri": REDIRECT_URI,
        "code": code,
    }
    response = token_request(client, form)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "BAD_AUTH_CODE"
    assert body["message"] == "missing or unknown auth code"
    assert body["error"] == "invalid_grant"
    assert uuid.UUID(body["correlationId"])


@pytest.mark.parametrize(
    ("override", "status", "error"),
    [
        ({"client_id": "00000000-0000-0000-0000-000000000000"}, "BAD_CLIENT_ID", "invalid_client"),
        ({"client_secret": "wrong"}, "BAD_CLIENT_SECRET", "invalid_client"),
        ({"redirect_uri": "https://elsewhere.example.com/cb"}, "BAD_REDIRECT_URI", "invalid_grant"),
        ({"grant_type": "password"}, "BAD_GRANT_TYPE", "unsupported_grant_type"),
        ({"code": "not-a-code"}, "BAD_AUTH_CODE", "invalid_grant"),
    ],
)
def test_bad_requests_get_hubspots_oauth_errors(
    client: TestClient,
    portal: Portal,
    oauth_app: oauth.AppCredentials,
    override: dict[str, str],
    status: str,
    error: str,
) -> None:
    form = {
        "grant_type": "authorization_code",
        "client_id": oauth_app.client_id,
        "client_secret": oauth_app.client_secret,
        "redirect_uri": REDIRECT_URI,
        "code": mint_code(client, oauth_app, portal.id),
    }
    response = token_request(client, form | override)
    assert response.status_code == 400
    assert response.json()["status"] == status
    assert response.json()["error"] == error


@pytest.mark.parametrize(
    "wrong",
    [
        {"client_secret": "wrong"},
        {"redirect_uri": "https://elsewhere.example.com/cb"},
        {"code_verifier": "w" * 43},
        {"client_id": "another-app"},
    ],
    ids=["client-secret", "redirect-uri", "code-verifier", "client-id"],
)
def test_a_failed_exchange_burns_the_code(
    wrong: dict[str, str], client: TestClient, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    """RFC 6749 §4.1.2 and §10.5: a code is single-use, and a failed exchange used it."""
    code = mint_code(client, oauth_app, portal.id)
    form = {
        "grant_type": "authorization_code",
        "client_id": oauth_app.client_id,
        "client_secret": oauth_app.client_secret,
        "redirect_uri": REDIRECT_URI,
        "code": code,
    }
    assert token_request(client, form | wrong).status_code == 400
    again = token_request(client, form)
    assert again.status_code == 400
    assert again.json()["status"] == "BAD_AUTH_CODE"


def test_pkce_s256_verifier_is_checked(
    client: TestClient, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    verifier = "v" * 20 + uuid.uuid4().hex + "-._~"
    challenge = create_s256_code_challenge(verifier)
    code = mint_code(
        client, oauth_app, portal.id, codeChallenge=challenge, codeChallengeMethod="S256"
    )
    form = {
        "grant_type": "authorization_code",
        "client_id": oauth_app.client_id,
        "client_secret": oauth_app.client_secret,
        "redirect_uri": REDIRECT_URI,
        "code": code,
    }
    missing = token_request(client, form)
    assert missing.json()["status"] == "BAD_CODE_VERIFIER"

    def fresh_code() -> str:
        return mint_code(
            client, oauth_app, portal.id, codeChallenge=challenge, codeChallengeMethod="S256"
        )

    wrong = token_request(client, form | {"code": fresh_code(), "code_verifier": "w" * 43})
    assert wrong.json()["status"] == "BAD_CODE_VERIFIER"
    body = exchange_code(client, oauth_app, fresh_code(), code_verifier=verifier)
    assert body["hub_id"] == portal.id


def test_expired_code_is_refused(
    services: Services, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    settings = services.settings.model_copy(update={"oauth_code_ttl_seconds": -60})
    with TestClient(
        create_app(settings, dataclasses.replace(services, settings=settings)),
        client=LOOPBACK,
        base_url=LOCAL,
    ) as c:
        code = mint_code(c, oauth_app, portal.id)
        form = {
            "grant_type": "authorization_code",
            "client_id": oauth_app.client_id,
            "client_secret": oauth_app.client_secret,
            "redirect_uri": REDIRECT_URI,
            "code": code,
        }
        response = token_request(c, form)
    assert response.status_code == 400
    assert response.json()["status"] == "EXPIRED_AUTH_CODE"


def test_refresh_grant_issues_a_new_access_token_and_keeps_the_refresh_token(
    client: TestClient, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    first = exchange_code(client, oauth_app, mint_code(client, oauth_app, portal.id))
    form = {
        "grant_type": "refresh_token",
        "client_id": oauth_app.client_id,
        "client_secret": oauth_app.client_secret,
        "refresh_token": first["refresh_token"],
    }
    response = token_request(client, form)
    assert response.status_code == 200
    second = response.json()
    assert second["refresh_token"] == first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert associate(client, portal, second["access_token"]) == 200


def test_deleted_refresh_token_is_bad_but_its_access_tokens_still_work(
    client: TestClient, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    tokens = exchange_code(client, oauth_app, mint_code(client, oauth_app, portal.id))
    info = client.get(f"/oauth/v1/refresh-tokens/{tokens['refresh_token']}")
    assert info.status_code == 200
    assert info.json()["client_id"] == oauth_app.client_id
    assert info.json()["hub_id"] == portal.id
    assert info.json()["token_type"] == "refresh"
    deleted = client.delete(f"/oauth/v1/refresh-tokens/{tokens['refresh_token']}")
    assert deleted.status_code == 204
    form = {
        "grant_type": "refresh_token",
        "client_id": oauth_app.client_id,
        "client_secret": oauth_app.client_secret,
        "refresh_token": tokens["refresh_token"],
    }
    refused = token_request(client, form)
    assert refused.status_code == 400
    assert refused.json() | {"correlationId": "-"} == {
        "status": "BAD_REFRESH_TOKEN",
        "message": "refresh token is invalid, expired or revoked",
        "correlationId": "-",
        "error": "invalid_grant",
        "error_description": "refresh token is invalid, expired or revoked",
    }
    assert associate(client, portal, tokens["access_token"]) == 200
    gone = client.get(f"/oauth/v1/refresh-tokens/{tokens['refresh_token']}")
    assert gone.status_code == 404


def test_access_token_metadata(
    client: TestClient, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    tokens = exchange_code(client, oauth_app, mint_code(client, oauth_app, portal.id))
    response = client.get(f"/oauth/v1/access-tokens/{tokens['access_token']}")
    assert response.status_code == 200
    info = response.json()
    assert info["token"] == tokens["access_token"]
    assert info["hub_id"] == portal.id
    assert info["app_id"] == oauth_app.app_id
    assert 0 < info["expires_in"] <= 1800
    assert info["token_type"] == "access"
    assert set(info["scopes"]) == set(tokens["scopes"])
    assert client.get("/oauth/v1/access-tokens/nope").status_code == 404


def test_granted_scopes_are_enforced(
    services: Services, client: TestClient, portal: Portal
) -> None:
    app = oauth.create_app(services, "Reader", [REDIRECT_URI], ["crm.objects.contacts.read"])
    tokens = exchange_code(client, app, mint_code(client, app, portal.id))
    assert tokens["scopes"] == ["crm.objects.contacts.read"]
    assert associate(client, portal, tokens["access_token"]) == 403


def test_scopes_beyond_the_apps_are_refused(
    services: Services, client: TestClient, portal: Portal
) -> None:
    app = oauth.create_app(services, "Reader", [REDIRECT_URI], ["crm.objects.contacts.read"])
    body = {
        "clientId": app.client_id,
        "portalId": portal.id,
        "redirectUri": REDIRECT_URI,
        "scope": "crm.objects.contacts.read crm.objects.deals.write",
    }
    response = client.post("/_hubgraph/oauth/codes", json=body)
    assert response.status_code == 400
    assert response.json()["status"] == "BAD_SCOPES"


def test_expired_access_token_is_401_expired_authentication(
    services: Services, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    # A lifetime of -125 s: the token is born expired, 2 minutes ago whatever the clock does.
    settings = services.settings.model_copy(update={"oauth_access_token_ttl_seconds": -125})
    with TestClient(
        create_app(settings, dataclasses.replace(services, settings=settings)),
        client=LOOPBACK,
        base_url=LOCAL,
    ) as c:
        tokens = exchange_code(c, oauth_app, mint_code(c, oauth_app, portal.id))
        assert tokens["expires_in"] == -125
        response = c.post(
            DEFAULT_ASSOCIATE, json={"inputs": []}, headers=bearer(tokens["access_token"])
        )
    assert response.status_code == 401
    body = response.json()
    assert body["category"] == "EXPIRED_AUTHENTICATION"
    assert body["message"] == "The OAuth token used to make this call expired 2 minute(s) ago."
    [expire_time] = body["context"]["expire time"]
    assert expire_time.endswith("Z")


def test_client_credentials_token_acts_for_the_app_not_a_portal(
    client: TestClient, oauth_app: oauth.AppCredentials
) -> None:
    form = {
        "grant_type": "client_credentials",
        "client_id": oauth_app.client_id,
        "client_secret": oauth_app.client_secret,
        "scope": "crm.objects.contacts.read",
    }
    response = token_request(client, form)
    assert response.status_code == 200
    body = response.json()
    assert body["token_use"] == "client_credentials"
    assert "refresh_token" not in body
    assert body["scopes"] == ["crm.objects.contacts.read"]
    denied = client.post(
        DEFAULT_ASSOCIATE, json={"inputs": []}, headers=bearer(body["access_token"])
    )
    assert denied.status_code == 401


def test_legacy_query_string_secret_is_accepted(
    client: TestClient, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    form = {
        "grant_type": "authorization_code",
        "client_id": oauth_app.client_id,
        "redirect_uri": REDIRECT_URI,
        "code": mint_code(client, oauth_app, portal.id),
    }
    response = client.post(
        "/oauth/v1/token", data=form, params={"client_secret": oauth_app.client_secret}
    )
    assert response.status_code == 200
