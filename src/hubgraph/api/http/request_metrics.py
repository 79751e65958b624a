"""Counts and times every request by its route template (``/crm/v3/objects/{objectType}``).

Labels use the template, never the raw path, so ids in paths cannot explode the number
of series; a request no route matched counts as ``unmatched``.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hubgraph import metrics

UNMATCHED = "unmatched"


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    return str(getattr(route, "path", UNMATCHED)) if route is not None else UNMATCHED


# Each (route, method, status)'s two series, looked up once: ``labels()`` takes a lock and
# builds its key on every call.
_series: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def _children(route: str, method: str, status: int) -> tuple[Any, Any]:
    return (
        metrics.REQUESTS.labels(route, method, str(status)),
        metrics.REQUEST_SECONDS.labels(route, method),
    )


class RequestMetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            key = (route_template(scope), scope["method"], status)
            series = _series.get(key)
            if series is None:
                series = _series.setdefault(key, _children(*key))
            series[0].inc()
            series[1].observe(time.perf_counter() - began)
            pool = scope["app"].state.services.database.engine.pool
            checked_out = getattr(pool, "checkedout", None)
            if checked_out is not None:
                metrics.POOL_CONNECTIONS_IN_USE.set(checked_out())
