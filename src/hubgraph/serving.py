"""How hubgraph's HTTP server is run: uvicorn with httptools, bounded at the edges.

uvicorn's parsers accept a request line and headers of any size from httptools (one
96 MiB header stalled every client for 13 s, issue 12) and have no time limit on a
request head (a client sending one header line every few seconds held its connection
forever). The protocols here count the bytes of each request head before the parser
sees them and answer one over ``MAX_HEAD_BYTES`` with HubSpot's envelope and status 431,
answer a malformed request with the envelope and 400, and close connections whose
request head has not arrived within ``HEADER_TIMEOUT_SECONDS``.

httptools (C) replaced h11 (pure Python, which capped the head itself): ~0.1 ms less CPU
per request, a third of a small call's whole cost (docs/performance.md). The figures
behind the choice are in docs/reliability.md.
"""

from __future__ import annotations

import asyncio
import ipaddress
import uuid
from http import HTTPStatus
from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

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
PROTOCOL = "hubgraph.serving:BoundedHttpToolsProtocol"


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
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "limit_concurrency": MAX_CONCURRENCY,
    }


class _BoundedHead:
    """The head timer and the refusals both protocols share."""

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    _head_timer: asyncio.TimerHandle | None = None

    def _waiting_for_head(self) -> bool:
        raise NotImplementedError

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

    def _refuse(self, error: HubSpotError) -> None:
        """Answer before (or instead of) a parsed request, then close: written as bytes,
        since the parser will not send a response for a request it never produced."""
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


class BoundedHttpToolsProtocol(_BoundedHead, HttpToolsProtocol):
    """uvicorn's httptools protocol with a capped request head, a request-head timeout and
    HubSpot-shaped 400/431.

    httptools parses whatever it is fed, so each head's bytes are counted here first: from
    the first byte after the previous request to the head's blank line. Bytes of a second,
    pipelined request that arrive in the same read as the end of the first are not
    counted for it (at most one read, 64 KiB, more than the cap).
    """

    _in_head = True
    _head_bytes = 0
    _head_tail = b""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._arm_head_timer()
            if self._head_too_large(data):
                self._refuse(HeadTooLarge())
                return
        super().data_received(data)

    def _head_too_large(self, data: bytes) -> bool:
        # The blank line may straddle two reads: the last three bytes are looked at again.
        window = self._head_tail + data
        end = window.find(b"\r\n\r\n")
        before = self._head_bytes - len(self._head_tail)
        if end != -1:
            return before + end > MAX_HEAD_BYTES
        self._head_bytes += len(data)
        self._head_tail = window[-3:]
        return self._head_bytes > MAX_HEAD_BYTES

    def on_headers_complete(self) -> None:
        # Here, not after the read: a bodiless request completes in the same read, and a
        # timer left running then closed the kept-alive connection ten seconds later.
        self._in_head = False
        self._head_bytes = 0
        self._head_tail = b""
        self._disarm_head_timer()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        # What comes next is the next request's head: timed from its first byte (an idle
        # kept-alive connection is uvicorn's keep-alive timeout's to close).
        self._in_head = True

    def _waiting_for_head(self) -> bool:
        return self._in_head

    def send_400_response(self, msg: str) -> None:
        self._refuse(MalformedRequest())
