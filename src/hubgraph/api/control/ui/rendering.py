"""Pages rendered with Jinja2, sent with the headers every UI page carries.

Templates live beside this module (``templates/``) and are autoescaped. Every page gets
a strict Content-Security-Policy: scripts, styles and requests only from hubgraph itself
(no CDN, no inline script), so the UI works offline and injected markup cannot run.
Errors on a page route become an HTML page with the same status (``HtmlErrorRoute``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from functools import cache
from typing import TYPE_CHECKING, Any

from fastapi.exceptions import RequestValidationError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from hubgraph import __version__
from hubgraph.api.control.ui import csrf
from hubgraph.api.control.ui.links import links
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.errors import HubSpotError, ValidationError

if TYPE_CHECKING:
    from jinja2 import Environment

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@cache
def environment() -> Environment:
    # Imported at the first page, not at start-up: serving the API never needs Jinja2.
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("hubgraph.api.control.ui", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(links=links, version=__version__)
    return env


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """A rendered page; it sets the CSRF cookie when the browser has none yet."""
    token, new = csrf.token_for(request)
    html = environment().get_template(template).render(csrf=token, **context)
    response = HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
    if new:
        csrf.set_cookie(response, token)
    return response


def error_page(request: Request, error: HubSpotError) -> Response:
    return page(
        request,
        "error.html",
        status_code=error.status_code,
        status=error.status_code,
        category=error.category,
        message=error.message,
    )


class HtmlErrorRoute(DeferredAPIRoute):
    """A route whose errors, the guard's included, answer as an HTML page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def render_errors(request: Request) -> Response:
            started = time.perf_counter()
            try:
                response = await handler(request)
            except HubSpotError as error:
                response = error_page(request, error)
            except RequestValidationError as error:
                details = error.errors()
                first = details[0] if details else {"loc": (), "msg": "invalid"}
                where = ".".join(str(p) for p in first["loc"])
                response = error_page(
                    request, ValidationError(f"Invalid input: {where}: {first['msg']}")
                )
            # The time spent serving the page, for the browser's developer tools (and a test).
            elapsed_ms = (time.perf_counter() - started) * 1000
            response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
            return response

        return render_errors
