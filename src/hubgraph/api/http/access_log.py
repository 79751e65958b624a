"""One line per request: method, path, status, milliseconds, correlation id.

Pure ASGI and outermost, so the time covers the whole pipeline and a 500 from the
last-resort handler is logged with the status the client saw. The query string is left
out (it can hold an OAuth ``code``) and so is the token in the path of HubSpot's token
introspection routes.
"""

from __future__ import annotations

import logging
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hubgraph.logs import ACCESS_LOGGER

log = logging.getLogger(ACCESS_LOGGER)
_TOKEN_IN_PATH = re.compile(r"^(/oauth/v1/(?:access|refresh)-tokens/)[^/]+")


def loggable_path(path: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1…", path)


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500  # what the server answers if nothing below sent a response

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            ms = (time.perf_counter() - began) * 1000
            path = loggable_path(scope["path"])
            correlation_id = str(scope.get("state", {}).get("correlation_id", "-"))
            log.info(
                "%s %s %d %.1fms %s",
                scope["method"],
                path,
                status,
                ms,
                correlation_id,
                extra={
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "durationMs": round(ms, 1),
                    "correlationId": correlation_id,
                },
            )
