"""How hubgraph's HTTP server is run: uvicorn with h11, bounded at the edges.

uvicorn's default parser (httptools) accepts a request line and headers of any size: one
96 MiB header stalled every client for 13 s (issue 12). h11 stops reading once the
unfinished request head passes ``h11_max_incomplete_event_size``; the protocol here
answers that with HubSpot's envelope and status 431, and closes connections whose request
head has not arrived within ``HEADER_TIMEOUT_SECONDS`` (uvicorn has no such timeout, so a
client sending one header line every few seconds held its connection forever). The
figures behind the choice are in docs/reliability.md.
"""

from __future__ import annotations

import asyncio
import ipaddress
import uuid
from http import HTTPStatus
from typing import Any

import h11
import orjson
from uvicorn.protocols.http.h11_impl import H11Protocol

from hubgraph.errors import HubSpotError

# Request line plus headers: HubSpot's own edge refuses far less; 64 KiB leaves room for
# long URLs with many ``properties=`` and for big cookies.
MAX_HEAD_BYTES = 64 * 1024
# From a connection's first byte (or the end of the previous response) to the end of the
# request head. A real client sends its head in one packet.
HEADER_TIMEOUT_SECONDS = 10.0
# Idle keep-alive connections are closed after this (uvicorn's default).
KEEP_ALIVE_SECONDS = 5
# Beyond this many open connections or running requests, new requests get 503 at once
# instead of queueing without bound (uvicorn's ``limit_concurrency``).
MAX_CONCURRENCY = 1000
PROTOCOL = "hubgraph.serving:BoundedH11Protocol"


class HeadTooLarge(HubSpotError):
    status_code = 431
    category = "VALIDATION_ERROR"

    def __init__(self) -> None:
        super().__init__(
            f"The request line and headers are larger than the limit of {MAX_HEAD_BYTES} bytes"
        )


class MalformedRequest(HubSpotError):
    status_code = 400
    category = "VALIDATION_ERROR"

    def __init__(self) -> None:
        super().__init__("Invalid HTTP request received")


def is_loopback_address(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_loopback_name(host: str) -> bool:
    """A loopback address, ``localhost`` or a ``*.localhost`` name (RFC 6761 §6.3)."""
    name = host.lower().rstrip(".")
    return name == "localhost" or name.endswith(".localhost") or is_loopback_address(name)


def server_options() -> dict[str, Any]:
    """uvicorn options for ``hubgraph serve`` and the test servers alike."""
    return {
        "http": PROTOCOL,
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "limit_concurrency": MAX_CONCURRENCY,
    }


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request-head timeout and HubSpot-shaped 400/431."""

    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._waiting_for_head():
            self._arm_head_timer()
            if self._head_too_large(data):
                self._refuse(HeadTooLarge())
                return
        super().data_received(data)
        if not self._waiting_for_head():
            self._disarm_head_timer()

    def _head_too_large(self, data: bytes) -> bool:
        # h11 caps only an unfinished head; one that arrives whole in a single read of
        # any size would be parsed, so the end of the head is looked for here.
        buffered = self.conn.trailing_data[0] + data
        if len(buffered) <= MAX_HEAD_BYTES:
            return False
        return buffered.find(b"\r\n\r\n", 0, MAX_HEAD_BYTES + 4) == -1

    def _waiting_for_head(self) -> bool:
        return self.conn.their_state is h11.IDLE

    def _arm_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(HEADER_TIMEOUT_SECONDS, self._head_timed_out)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._waiting_for_head() and not self.transport.is_closing():
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        # h11 refuses an oversized head with its receive buffer still full: that is a 431.
        buffered = len(self.conn.trailing_data[0])
        self._refuse(HeadTooLarge() if buffered > MAX_HEAD_BYTES else MalformedRequest())

    def _refuse(self, error: HubSpotError) -> None:
        """Answer before (or instead of) a parsed request, then close: written as bytes,
        since h11 will not send a response for a request it never produced."""
        self._disarm_head_timer()
        correlation_id = str(uuid.uuid4())
        body = orjson.dumps(error.body(correlation_id))
        reason = HTTPStatus(error.status_code).phrase
        head = (
            f"HTTP/1.1 {error.status_code} {reason}\r\n"
            "content-type: application/json;charset=utf-8\r\n"
            f"x-hubspot-correlation-id: {correlation_id}\r\n"
            f"content-length: {len(body)}\r\n"
            "connection: close\r\n\r\n"
        )
        if not self.transport.is_closing():
            self.transport.write(head.encode("ascii") + body)
            self.transport.close()
