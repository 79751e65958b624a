"""``//crm/v3/…`` is served as ``/crm/v3/…``.

HubSpot's SDKs join ``host`` and the path with a slash, so ``Client.create(host=
"http://127.0.0.1:8080/")`` (a trailing slash, as people paste URLs) asks for
``//crm/v3/objects/…``. Only the leading run of slashes is merged; a doubled slash
inside a path still reaches the router as sent.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class LeadingSlashesMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith("//"):
            # In place, as Starlette's router updates the scope: the outer middlewares
            # (metrics, access log) read the route and correlation id from this same dict.
            scope["path"] = "/" + path.lstrip("/")
            raw = scope.get("raw_path")
            if raw:
                scope["raw_path"] = b"/" + raw.lstrip(b"/")
        await self.app(scope, receive, send)
