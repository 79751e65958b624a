"""``/oauth/authorize``: the consent screen HubSpot shows at app.hubspot.com, kept small.

As on HubSpot, consent needs a signed-in user (``services/access/users.py``):

1. GET checks the app and redirect URI and shows a sign-in form (or, with
   ``HUBGRAPH_OAUTH_AUTO_APPROVE_PORTAL``, test-only, approves at once).
2. POST ``step=sign_in`` checks the e-mail and password and shows the consent form with
   only that user's portals and a consent ticket bound to the user, app and redirect URI.
3. POST ``decision=approve`` with the ticket and a ``portal_id`` the user belongs to
   redirects back with ``code`` and ``state``; ``decision=deny`` with ``access_denied``.

Every POST carries a CSRF token that must equal the ``hubgraph_csrf`` cookie the GET set
(double submit; the cookie is ``SameSite=Strict`` and ``HttpOnly``), so another site can
neither sign a user in nor approve for them.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from hubgraph.api.http.body import read_form
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import ServicesDep
from hubgraph.api.oauth_v1.consent_pages import (
    consent_page,
    error_page,
    sign_in_page,
)
from hubgraph.errors import OAuthError
from hubgraph.services.access import oauth, users

router = APIRouter(route_class=DeferredAPIRoute)

CSRF_COOKIE = "hubgraph_csrf"
CSRF_FORBIDDEN = "The form has expired or was not sent from this page; start again"


def _redirect(redirect_uri: str, params: dict[str, str]) -> Response:
    joiner = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{joiner}{urlencode(params)}", status_code=302)


def _with_csrf_cookie(response: Response, token: str) -> Response:
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, samesite="strict", path="/oauth/authorize"
    )
    return response


def _csrf_valid(request: Request, params: dict[str, str]) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = params.get("csrf_token", "")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), sent.encode())


async def _check(services: ServicesDep, params: dict[str, str]) -> oauth.AuthorizationRequest:
    return await run_in_threadpool(
        oauth.check_authorization,
        services,
        params.get("client_id"),
        params.get("redirect_uri"),
        params.get("scope"),
        params.get("optional_scope"),
    )


async def _approve(
    services: ServicesDep, params: dict[str, str], portal_id: int, user_id: int
) -> Response:
    code = await run_in_threadpool(
        lambda: oauth.issue_code(
            services,
            client_id=params.get("client_id"),
            portal_id=portal_id,
            redirect_uri=params.get("redirect_uri"),
            scope=params.get("scope"),
            optional_scope=params.get("optional_scope"),
            code_challenge=params.get("code_challenge"),
            code_challenge_method=params.get("code_challenge_method"),
            user_id=user_id,
        )
    )
    back = {"code": code}
    if params.get("state"):
        back["state"] = params["state"]
    return _redirect(params.get("redirect_uri", ""), back)


@router.get("/oauth/authorize")
async def authorize(request: Request, services: ServicesDep) -> Response:
    params = dict(request.query_params)
    try:
        checked = await _check(services, params)
        auto_portal = services.settings.oauth_auto_approve_portal
        if auto_portal is not None:
            # Test-only (docs/auth.md): no user, no page; the installing user approves.
            return await _approve(services, params, auto_portal, oauth.INSTALLING_USER_ID)
    except OAuthError as error:
        return error_page(error.message)
    token = secrets.token_urlsafe(32)
    return _with_csrf_cookie(sign_in_page(checked, params, token), token)


@router.post("/oauth/authorize")
async def approve(request: Request, services: ServicesDep) -> Response:
    params = await read_form(request)
    try:
        checked = await _check(services, params)
    except OAuthError as error:
        return error_page(error.message)
    if not _csrf_valid(request, params):
        return error_page(CSRF_FORBIDDEN, 403)
    csrf_token = params["csrf_token"]
    if params.get("decision") == "deny":
        back = {"error": "access_denied"}
        if params.get("state"):
            back["state"] = params["state"]
        return _redirect(checked.redirect_uri, back)
    if params.get("decision") == "approve":
        return await _approve_signed_in(services, params, checked)
    signed = await run_in_threadpool(
        users.sign_in,
        services,
        params.get("email", ""),
        params.get("password", ""),
        checked.client_id,
        checked.redirect_uri,
    )
    if signed is None:
        return sign_in_page(checked, params, csrf_token, failed=True)
    return consent_page(checked, params, csrf_token, signed.ticket, signed.portals)


async def _approve_signed_in(
    services: ServicesDep, params: dict[str, str], checked: oauth.AuthorizationRequest
) -> Response:
    portal = params.get("portal_id", "")
    if not portal.isdigit() or len(portal) > 18:
        return error_page(oauth.BadHub().message)
    try:
        user_id = await run_in_threadpool(
            users.approving_user,
            services,
            params.get("ticket", ""),
            int(portal),
            checked.client_id,
            checked.redirect_uri,
        )
        return await _approve(services, params, int(portal), user_id)
    except users.ConsentRefused as refused:
        return error_page(f"Not approved: {refused}", 403)
    except OAuthError as error:
        return error_page(error.message)
