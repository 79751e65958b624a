"""The HTML of ``/oauth/authorize``: the sign-in form, the consent form, the error page."""

from __future__ import annotations

from html import escape

from starlette.responses import HTMLResponse, Response

from hubgraph.services.access import oauth

PASSED_ON = ("client_id", "redirect_uri", "scope", "optional_scope", "state")
PKCE_FIELDS = ("code_challenge", "code_challenge_method")
STYLE = "font-family: sans-serif; max-width: 36em; margin: 3em auto"


def _hidden(params: dict[str, str], **extra: str) -> str:
    fields = {k: v for k, v in params.items() if k in PASSED_ON + PKCE_FIELDS} | extra
    return "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in fields.items()
    )


def _page(title: str, body: str, status_code: int = 200) -> Response:
    page = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{escape(title)}</title></head>
<body style="{STYLE}">{body}</body></html>"""
    # The pages carry a CSRF token and a sign-in: never framed, never cached.
    headers = {
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": "frame-ancestors 'none'",
    }
    return HTMLResponse(page, status_code=status_code, headers=headers)


def error_page(message: str, status_code: int = 400) -> Response:
    # Never redirect to an unchecked redirect_uri: say what is wrong, here.
    return _page("Authorization failed", f"<h1>{escape(message)}</h1>", status_code)


def _scopes(checked: oauth.AuthorizationRequest) -> str:
    items = "".join(f"<li><code>{escape(s)}</code></li>" for s in checked.scopes)
    return f"<p>The app asks for these scopes:</p><ul>{items}</ul>"


def sign_in_page(
    checked: oauth.AuthorizationRequest,
    params: dict[str, str],
    csrf_token: str,
    failed: bool = False,
) -> Response:
    notice = "<p><strong>Wrong e-mail address or password.</strong></p>" if failed else ""
    body = f"""<h1>Sign in to connect {escape(checked.app_name)}</h1>
{_scopes(checked)}{notice}
<form method="post" action="/oauth/authorize">{_hidden(params, csrf_token=csrf_token)}
<input type="hidden" name="step" value="sign_in">
<p><label>E-mail <input type="email" name="email" autocomplete="username" required></label></p>
<p><label>Password <input type="password" name="password" autocomplete="current-password"
required></label></p>
<p><button type="submit">Sign in</button></p>
</form>"""
    return _page(f"Connect {checked.app_name}", body, 401 if failed else 200)


def consent_page(
    checked: oauth.AuthorizationRequest,
    params: dict[str, str],
    csrf_token: str,
    ticket: str,
    portals: list[tuple[int, str]],
) -> Response:
    options = "".join(
        f'<option value="{pid}">{escape(name)} ({pid})</option>' for pid, name in portals
    )
    hidden = _hidden(params, csrf_token=csrf_token, ticket=ticket)
    body = f"""<h1>Connect {escape(checked.app_name)} to hubgraph</h1>
{_scopes(checked)}
<form method="post" action="/oauth/authorize">{hidden}
<label>Account: <select name="portal_id">{options}</select></label>
<p><button type="submit" name="decision" value="approve">Connect app</button>
<button type="submit" name="decision" value="deny">Cancel</button></p>
</form>"""
    return _page(f"Connect {checked.app_name}", body)
