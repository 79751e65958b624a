"""The last API requests of each portal, kept in this worker's memory for the web UI.

A pure ASGI middleware sees every request and its response as they stream past: it keeps
the method, path, status, duration, correlation id and the kind of token, and the first
``body_limit`` bytes of each body. A request is filed under the portal whose token
authenticated it (``get_principal`` leaves the Principal in the request state); calls
that authenticate as no portal (bad tokens, OAuth's own endpoints, the control plane
under ``/_hubgraph/``) are not kept.

Bounded: ``per_portal`` requests for each of the ``portals`` most recently active
portals, so memory stays under ``per_portal * portals * 2 * body_limit`` bytes. Each
worker process keeps its own ring (``hubgraph serve --workers N`` shows each worker's
share); nothing is written to the database. The Authorization header is never kept;
bodies and query strings are redacted when shown (``redaction.py``), which keeps the
regular expressions off the request path.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CORRELATION_HEADER = b"x-hubspot-correlation-id"


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    started_at_ms: int
    method: str
    path: str
    query: str
    """As received; redacted when shown."""
    status: int
    duration_ms: float
    correlation_id: str
    client_key: str
    """``Principal.client_key``: ``pat:<digest prefix>`` or ``app:<id>`` (see ``token_kind``)."""
    request_media_type: str
    request_size: int
    request_body: bytes
    """The first ``body_limit`` bytes, as received (redacted when shown)."""
    response_media_type: str
    response_size: int
    response_body: bytes


class RequestLog:
    """A ring of recent requests per portal; safe to read from a worker thread."""

    def __init__(self, per_portal: int = 100, portals: int = 50, body_limit: int = 4096) -> None:
        self.per_portal = per_portal
        self.portals = portals
        self.body_limit = body_limit
        self._rings: OrderedDict[int, deque[LoggedRequest]] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, portal_id: int, entry: LoggedRequest) -> None:
        with self._lock:
            ring = self._rings.get(portal_id)
            if ring is None:
                ring = self._rings[portal_id] = deque(maxlen=self.per_portal)
                if len(self._rings) > self.portals:
                    self._rings.popitem(last=False)
            else:
                self._rings.move_to_end(portal_id)
            ring.append(entry)

    def recent(self, portal_id: int) -> list[LoggedRequest]:
        """Newest first."""
        with self._lock:
            return list(reversed(self._rings.get(portal_id, ())))

    def forget(self, portal_id: int) -> None:
        with self._lock:
            self._rings.pop(portal_id, None)


class _Body:
    """The first ``limit`` bytes of a body and its total size."""

    __slots__ = ("chunks", "kept", "limit", "size")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.kept = 0
        self.chunks: list[bytes] = []

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.kept < self.limit and chunk:
            part = chunk[: self.limit - self.kept]
            self.chunks.append(part)
            self.kept += len(part)

    def value(self) -> bytes:
        return b"".join(self.chunks)


def token_kind(client_key: str) -> str:
    """How the caller authenticated, from ``Principal.client_key`` (pat:… or app:…)."""
    if client_key.startswith("app:"):
        return f"OAuth (app {client_key[4:]})"
    if client_key.startswith("pat:"):
        return "private app"
    return "unknown"


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


class RequestLogMiddleware:
    """Pure ASGI: per request, two small buffers and one ring append at the end."""

    def __init__(self, app: ASGIApp, log: RequestLog) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_hubgraph/"):
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        started = time.perf_counter()
        started_at_ms = time.time_ns() // 1_000_000
        request_body = _Body(self.log.body_limit)
        response_body = _Body(self.log.body_limit)
        response: dict[str, Any] = {"status": 500, "headers": []}

        async def receive_and_keep() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                request_body.add(message.get("body", b""))
            return message

        async def send_and_keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                response["status"] = message["status"]
                response["headers"] = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                response_body.add(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive_and_keep, send_and_keep)
        finally:
            principal = state.get("principal")
            if principal is not None:
                self._keep(
                    scope, state, principal, started, started_at_ms, request_body,
                    response_body, response,
                )  # fmt: skip

    def _keep(
        self,
        scope: Scope,
        state: dict[str, Any],
        principal: Any,
        started: float,
        started_at_ms: int,
        request_body: _Body,
        response_body: _Body,
        response: dict[str, Any],
    ) -> None:
        headers: list[tuple[bytes, bytes]] = response["headers"]
        correlation_id = _header(headers, CORRELATION_HEADER) or str(
            state.get("correlation_id", "")
        )
        self.log.add(
            principal.portal_id,
            LoggedRequest(
                started_at_ms=started_at_ms,
                method=scope["method"],
                path=scope["path"],
                query=scope.get("query_string", b"").decode("latin-1"),
                status=int(response["status"]),
                duration_ms=(time.perf_counter() - started) * 1000,
                correlation_id=correlation_id,
                client_key=principal.client_key,
                request_media_type=_header(list(scope.get("headers", [])), b"content-type"),
                request_size=request_body.size,
                request_body=request_body.value(),
                response_media_type=_header(headers, b"content-type"),
                response_size=response_body.size,
                response_body=response_body.value(),
            ),
        )
