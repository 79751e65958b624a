"""CSRF protection for the UI's actions: a double-submit cookie and an Origin check.

Each page sets ``hubgraph_csrf`` (random, ``SameSite=Strict``, ``HttpOnly``, path
``/_hubgraph/ui``) and puts the same value in its forms; an action must send both, equal.
Another site can neither read the cookie nor make the browser send it (SameSite), so it
cannot forge a matching pair. Needing no server-side secret, it works across
``--workers`` processes. A request whose ``Origin`` (or ``Sec-Fetch-Site``) says it came
from another origin is refused as well.
"""

from __future__ import annotations

import hmac
import re
import secrets

from starlette.requests import Request
from starlette.responses import Response

from hubgraph.api.control.ui.links import ROOT
from hubgraph.errors import HubSpotError

COOKIE = "hubgraph_csrf"
HEADER = "x-hubgraph-csrf"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


class CsrfRejected(HubSpotError):
    status_code = 403
    category = "CSRF_CHECK_FAILED"

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"This action was refused: {reason}. Reload the page and try again.",
            category=self.category,
        )


def token_for(request: Request) -> tuple[str, bool]:
    """The browser's token, or a new one (True) that the response must set."""
    current = request.cookies.get(COOKIE, "")
    if _TOKEN.fullmatch(current):
        return current, False
    return secrets.token_urlsafe(32), True


def set_cookie(response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, path=ROOT, httponly=True, samesite="strict", secure=False)


def check(request: Request, submitted: str) -> None:
    """Raises CsrfRejected unless the request carries the cookie and the same token."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise CsrfRejected("it came from another site")
    origin = request.headers.get("origin")
    if origin is not None and origin != _own_origin(request):
        raise CsrfRejected("it came from another origin")
    cookie = request.cookies.get(COOKIE, "")
    if not _TOKEN.fullmatch(cookie) or not hmac.compare_digest(cookie.encode(), submitted.encode()):
        raise CsrfRejected("the form's security token is missing or out of date")


def _own_origin(request: Request) -> str:
    host = request.headers.get("host", "")
    return f"{request.url.scheme}://{host}"
