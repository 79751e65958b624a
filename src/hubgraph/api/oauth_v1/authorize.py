"""``/oauth/authorize``: the consent page HubSpot shows at app.hubspot.com, kept small.

GET checks the app and redirect URI and shows the page (or, with
``HUBGRAPH_OAUTH_AUTO_APPROVE_PORTAL``, approves at once); POST is the approve button,
which redirects back with ``code`` and ``state``.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from hubgraph.api.http.body import read_form
from hubgraph.api.http.deps import ServicesDep
from hubgraph.errors import OAuthError
from hubgraph.services.access import oauth

router = APIRouter()

PASSED_ON = ("client_id", "redirect_uri", "scope", "optional_scope", "state")
PKCE_FIELDS = ("code_challenge", "code_challenge_method")


def _redirect(redirect_uri: str, params: dict[str, str]) -> Response:
    joiner = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{joiner}{urlencode(params)}", status_code=302)


def _error_page(error: OAuthError) -> Response:
    # Never redirect to an unchecked redirect_uri: say what is wrong, here.
    page = f"<!doctype html><title>Authorization failed</title><h1>{escape(error.message)}</h1>"
    return HTMLResponse(page, status_code=400)


def _consent_page(request: oauth.AuthorizationRequest, params: dict[str, str]) -> Response:
    hidden = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
        for k, v in params.items()
        if k in PASSED_ON + PKCE_FIELDS
    )
    options = "".join(
        f'<option value="{pid}">{escape(name)} ({pid})</option>' for pid, name in request.portals
    )
    scopes = "".join(f"<li><code>{escape(s)}</code></li>" for s in request.scopes)
    page = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Connect {escape(request.app_name)}</title></head>
<body style="font-family: sans-serif; max-width: 36em; margin: 3em auto">
<h1>Connect {escape(request.app_name)} to hubgraph</h1>
<p>The app asks for these scopes:</p><ul>{scopes}</ul>
<form method="post" action="/oauth/authorize">{hidden}
<label>Account: <select name="portal_id">{options}</select></label>
<p><button type="submit" name="decision" value="approve">Connect app</button>
<button type="submit" name="decision" value="deny">Cancel</button></p>
</form></body></html>"""
    return HTMLResponse(page)


async def _approve(services: ServicesDep, params: dict[str, str], portal_id: int) -> Response:
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
        checked = await run_in_threadpool(
            oauth.check_authorization,
            services,
            params.get("client_id"),
            params.get("redirect_uri"),
            params.get("scope"),
            params.get("optional_scope"),
        )
        auto_portal = services.settings.oauth_auto_approve_portal
        if auto_portal is not None:
            return await _approve(services, params, auto_portal)
    except OAuthError as error:
        return _error_page(error)
    return _consent_page(checked, params)


@router.post("/oauth/authorize")
async def approve(request: Request, services: ServicesDep) -> Response:
    params = await read_form(request)
    try:
        checked = await run_in_threadpool(
            oauth.check_authorization,
            services,
            params.get("client_id"),
            params.get("redirect_uri"),
            params.get("scope"),
            params.get("optional_scope"),
        )
        if params.get("decision") == "deny":
            back = {"error": "access_denied"}
            if params.get("state"):
                back["state"] = params["state"]
            return _redirect(checked.redirect_uri, back)
        portal = params.get("portal_id", "")
        if not portal.isdigit():
            raise oauth.BadHub()
        return await _approve(services, params, int(portal))
    except OAuthError as error:
        return _error_page(error)
