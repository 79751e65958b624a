"""Adds headers a dependency left in the request's state (rate-limit headers) to the response.

Endpoints return ``Response`` objects, which FastAPI does not merge dependency headers
into; a pure ASGI middleware adds them to whatever leaves, errors included.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

STATE_KEY = "response_headers"


class StateHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = scope.get("state", {}).get(STATE_KEY)
                if extra:
                    message["headers"] = [
                        *message.get("headers", []),
                        *((k.lower().encode(), v.encode()) for k, v in extra),
                    ]
            await send(message)

        await self.app(scope, receive, send_with_headers)
