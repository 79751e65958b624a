"""HubSpot's OAuth 2.0 v1 server: apps, authorization codes, access and refresh tokens.

Authlib supplies the protocol pieces (PKCE's S256 check, random tokens); the grant flow
is ours because HubSpot answers every failure with its own ``BAD_…`` status (reference
§8.2), which Authlib's ``AuthorizationServer`` folds into RFC 6749's few error codes.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from typing import Any

from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import challenge as pkce
from sqlalchemy import Connection

from hubgraph.domain.scopes import all_crm_scopes
from hubgraph.errors import (
    BadAuthCode,
    BadClientId,
    BadClientSecret,
    BadCodeVerifier,
    BadGrantType,
    BadRedirectUri,
    BadRefreshToken,
    BadScopes,
    ExpiredAuthCode,
    ExpiredAuthentication,
    InvalidAuthentication,
    OAuthError,
    TokenNotFound,
)
from hubgraph.services.clock import iso, now_ms
from hubgraph.services.context import Services
from hubgraph.store import oauth as store

# The installing user: hubgraph has no users, and HubSpot's responses require a user id.
INSTALLING_USER_ID = 1
ACCESS_TOKEN_LENGTH = 96
# Token kinds (the spec's ``token_use``), not secrets.
ACCESS_TOKEN_USE = "access_token"  # noqa: S105
CLIENT_CREDENTIALS_USE = "client_credentials"
CODE_LENGTH = 48
PKCE_METHODS = ("S256", "plain")


def _digest(secret: str) -> str:
    # Every secret carries >= 122 random bits, so plain SHA-256 stores it safely.
    return hashlib.sha256(secret.encode()).hexdigest()


def _scope_list(value: str | None) -> list[str]:
    # HubSpot's authorize URL separates scopes with spaces (encoded "%20" or "+").
    return [s for s in (value or "").replace(",", " ").split() if s]


@dataclass(frozen=True, slots=True)
class AppCredentials:
    app_id: int
    client_id: str
    client_secret: str
    developer_account_id: int
    # Shown once, when the app's developer account is created with it (then stored hashed).
    developer_api_key: str | None


@dataclass(frozen=True, slots=True)
class AccessGrant:
    """What a valid OAuth access token lets its bearer do."""

    portal_id: int
    app_id: int
    scopes: frozenset[str]
    expires_at_ms: int


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """A checked ``/oauth/authorize`` request, for the consent page."""

    app_name: str
    client_id: str
    redirect_uri: str
    scopes: list[str]
    portals: list[tuple[int, str]]


class BadHub(OAuthError):
    def __init__(self) -> None:
        text = "missing or unknown hub id"
        super().__init__("BAD_HUB", text, "access_denied", text)


def create_app(
    services: Services,
    name: str,
    redirect_uris: list[str],
    scopes: list[str] | None = None,
    developer_account_id: int | None = None,
) -> AppCredentials:
    """An app of a developer account: a new account (with a new API key) unless given."""
    client_id = str(uuid.uuid4())
    client_secret = str(uuid.uuid4())
    developer_api_key: str | None = None
    with services.database.write() as conn:
        if developer_account_id is None:
            developer_api_key = str(uuid.uuid4())
            developer_account_id = store.create_developer_account(
                conn, _digest(developer_api_key), now_ms()
            )
        elif not store.developer_account_exists(conn, developer_account_id):
            raise ValueError(f"no developer account {developer_account_id}")
        app_id = store.create_app(
            conn,
            name=name,
            client_id=client_id,
            client_secret_hash=_digest(client_secret),
            redirect_uris=redirect_uris,
            scopes=sorted(set(scopes)) if scopes else all_crm_scopes(),
            now_ms=now_ms(),
            client_secret=client_secret,
            developer_account_id=developer_account_id,
        )
    return AppCredentials(app_id, client_id, client_secret, developer_account_id, developer_api_key)


def developer_account_for_key(services: Services, api_key: str) -> int | None:
    """The developer account whose API key this is (``?hapikey=``), if any."""
    with services.database.read() as conn:
        return store.developer_account_by_key(conn, _digest(api_key))


def _app_for(conn: Connection, client_id: str | None) -> store.AppRow:
    app = store.find_app_by_client_id(conn, client_id) if client_id else None
    if app is None:
        raise BadClientId()
    return app


def _granted_scopes(app: store.AppRow, scope: str | None, optional_scope: str | None) -> list[str]:
    """Required scopes must all be the app's; optional ones are granted where they are."""
    requested = _scope_list(scope) or app.scopes
    unknown = [s for s in requested if s not in app.scopes]
    if unknown:
        raise BadScopes(unknown)
    optional = [s for s in _scope_list(optional_scope) if s in app.scopes]
    return sorted(set(requested) | set(optional))


def check_authorization(
    services: Services,
    client_id: str | None,
    redirect_uri: str | None,
    scope: str | None,
    optional_scope: str | None,
) -> AuthorizationRequest:
    with services.database.read() as conn:
        app = _app_for(conn, client_id)
        if redirect_uri not in app.redirect_uris:
            raise BadRedirectUri()
        scopes = _granted_scopes(app, scope, optional_scope)
        portals = store.list_portals(conn)
    assert redirect_uri is not None
    return AuthorizationRequest(app.name, app.client_id, redirect_uri, scopes, portals)


def issue_code(
    services: Services,
    *,
    client_id: str | None,
    portal_id: int,
    redirect_uri: str | None,
    scope: str | None = None,
    optional_scope: str | None = None,
    code_challenge: str | None = None,
    code_challenge_method: str | None = None,
) -> str:
    """What approving the consent page does: a single-use code for this portal."""
    if code_challenge is not None and not pkce.CODE_CHALLENGE_PATTERN.match(code_challenge):
        raise BadCodeVerifier()
    method = (code_challenge_method or "plain") if code_challenge else None
    if method is not None and method not in PKCE_METHODS:
        raise BadCodeVerifier()
    code = generate_token(CODE_LENGTH)
    with services.database.write() as conn:
        app = _app_for(conn, client_id)
        if redirect_uri not in app.redirect_uris:
            raise BadRedirectUri()
        if not store.portal_exists(conn, portal_id):
            raise BadHub()
        row = store.CodeRow(
            portal_id=portal_id,
            app_id=app.id,
            user_id=INSTALLING_USER_ID,
            redirect_uri=redirect_uri or "",
            scopes=_granted_scopes(app, scope, optional_scope),
            code_challenge=code_challenge,
            code_challenge_method=method,
            expires_at=now_ms() + services.settings.oauth_code_ttl_seconds * 1000,
        )
        store.add_code(conn, _digest(code), row)
    return str(code)


def _authenticate_client(
    conn: Connection, client_id: str | None, client_secret: str | None
) -> store.AppRow:
    app = _app_for(conn, client_id)
    if not client_secret or not hmac.compare_digest(_digest(client_secret), app.client_secret_hash):
        raise BadClientSecret()
    return app


def _verify_pkce(code: store.CodeRow, verifier: str | None) -> None:
    if code.code_challenge is None:
        # RFC 9700 §4.8: a verifier for a code issued without a challenge is refused.
        if verifier:
            raise BadCodeVerifier()
        return
    if not verifier or not pkce.CODE_VERIFIER_PATTERN.match(verifier):
        raise BadCodeVerifier()
    compare = (
        pkce.compare_s256_code_challenge
        if code.code_challenge_method == "S256"
        else pkce.compare_plain_code_challenge
    )
    if not compare(verifier, code.code_challenge):
        raise BadCodeVerifier()


def exchange(services: Services, form: dict[str, str]) -> dict[str, Any]:
    """``POST /oauth/v1/token``: one grant, one write transaction."""
    grant_type = form.get("grant_type")
    with services.database.write() as conn:
        app = _authenticate_client(conn, form.get("client_id"), form.get("client_secret"))
        if grant_type == "authorization_code":
            return _authorization_code(services, conn, app, form)
        if grant_type == "refresh_token":
            return _refresh(services, conn, app, form.get("refresh_token"))
        if grant_type == "client_credentials":
            return _client_credentials(services, conn, app, form.get("scope"))
    raise BadGrantType()


def _authorization_code(
    services: Services, conn: Connection, app: store.AppRow, form: dict[str, str]
) -> dict[str, Any]:
    given = form.get("code")
    # Taken (deleted) at once: a code is good for one exchange, even under concurrency.
    code = store.take_code(conn, _digest(given)) if given else None
    if code is None or code.app_id != app.id:
        raise BadAuthCode()
    if code.expires_at <= now_ms():
        raise ExpiredAuthCode()
    if form.get("redirect_uri") != code.redirect_uri:
        raise BadRedirectUri()
    _verify_pkce(code, form.get("code_verifier"))
    refresh_token = f"{services.settings.hublet}-{uuid.uuid4()}"
    refresh = store.RefreshTokenRow(code.portal_id, app.id, code.user_id, code.scopes)
    store.add_refresh_token(conn, _digest(refresh_token), refresh, now_ms())
    return _token_response(services, conn, refresh, refresh_token)


def _refresh(
    services: Services, conn: Connection, app: store.AppRow, refresh_token: str | None
) -> dict[str, Any]:
    refresh = store.find_refresh_token(conn, _digest(refresh_token)) if refresh_token else None
    if refresh is None or refresh.app_id != app.id:
        raise BadRefreshToken()
    assert refresh_token is not None
    # HubSpot hands back the same refresh token (reference §8.2): it lives until revoked.
    return _token_response(services, conn, refresh, refresh_token)


def _new_access_token(
    services: Services,
    conn: Connection,
    *,
    portal_id: int | None,
    app_id: int,
    user_id: int | None,
    scopes: list[str],
    token_use: str,
) -> tuple[str, int]:
    token = str(generate_token(ACCESS_TOKEN_LENGTH))
    ttl = services.settings.oauth_access_token_ttl_seconds
    now = now_ms()
    row = store.AccessTokenRow(portal_id, app_id, user_id, scopes, token_use, now + ttl * 1000)
    store.add_access_token(conn, _digest(token), row, now)
    return token, ttl


def _token_response(
    services: Services, conn: Connection, refresh: store.RefreshTokenRow, refresh_token: str
) -> dict[str, Any]:
    token, ttl = _new_access_token(
        services,
        conn,
        portal_id=refresh.portal_id,
        app_id=refresh.app_id,
        user_id=refresh.user_id,
        scopes=refresh.scopes,
        token_use=ACCESS_TOKEN_USE,
    )
    return {
        "token_type": "bearer",
        "access_token": token,
        "refresh_token": refresh_token,
        "expires_in": ttl,
        "hub_id": refresh.portal_id,
        "user_id": refresh.user_id,
        "scopes": refresh.scopes,
        "token_use": ACCESS_TOKEN_USE,
    }


def _client_credentials(
    services: Services, conn: Connection, app: store.AppRow, scope: str | None
) -> dict[str, Any]:
    scopes = _granted_scopes(app, scope, None)
    token, ttl = _new_access_token(
        services,
        conn,
        portal_id=None,
        app_id=app.id,
        user_id=None,
        scopes=scopes,
        token_use=CLIENT_CREDENTIALS_USE,
    )
    return {
        "token_type": "bearer",
        "access_token": token,
        "expires_in": ttl,
        "scopes": scopes,
        "token_use": CLIENT_CREDENTIALS_USE,
    }


def _expired(expires_at_ms: int, now: int) -> ExpiredAuthentication:
    return ExpiredAuthentication((now - expires_at_ms) // 1000, iso(expires_at_ms))


def find_access_grant(conn: Connection, token: str) -> AccessGrant:
    """The bearer check for OAuth tokens (``services.portals.authenticate`` delegates here)."""
    row = store.find_access_token(conn, _digest(token))
    if row is None:
        raise InvalidAuthentication()
    now = now_ms()
    if row.expires_at <= now:
        raise _expired(row.expires_at, now)
    if row.portal_id is None:
        # A client_credentials token acts for the app, not for any account's CRM data.
        raise InvalidAuthentication()
    return AccessGrant(row.portal_id, row.app_id, frozenset(row.scopes), row.expires_at)


def access_token_info(services: Services, token: str) -> dict[str, Any]:
    with services.database.read() as conn:
        row = store.find_access_token(conn, _digest(token))
    if row is None:
        raise TokenNotFound()
    now = now_ms()
    if row.expires_at <= now:
        raise _expired(row.expires_at, now)
    info: dict[str, Any] = {"token": token, "scopes": row.scopes}
    if row.portal_id is not None:
        info["hub_id"] = row.portal_id
    info |= {
        "app_id": row.app_id,
        "expires_in": (row.expires_at - now) // 1000,
        "user_id": row.user_id if row.user_id is not None else INSTALLING_USER_ID,
        "token_type": "access",
    }
    return info


def refresh_token_info(services: Services, token: str) -> dict[str, Any]:
    with services.database.read() as conn:
        row = store.find_refresh_token(conn, _digest(token))
        app = store.find_app(conn, row.app_id) if row is not None else None
    if row is None or app is None:
        raise TokenNotFound()
    return {
        "token": token,
        "scopes": row.scopes,
        "hub_id": row.portal_id,
        "client_id": app.client_id,
        "user_id": row.user_id,
        "token_type": "refresh",
    }


def delete_refresh_token(services: Services, token: str) -> None:
    """Access tokens already issued keep working until they expire (reference §8.2)."""
    with services.database.write() as conn:
        if not store.delete_refresh_token(conn, _digest(token)):
            raise TokenNotFound()
