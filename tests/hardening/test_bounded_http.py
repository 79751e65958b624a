"""Bounded HTTP (issue 12, finding 3): the request head is capped and must arrive in time.

Raw sockets against a real server (``hubgraph.serving``'s httptools protocol, as ``hubgraph
serve`` runs it), so nothing between the test and the server trims or times anything.
"""

from __future__ import annotations

import contextlib
import socket
import time

import orjson
import pytest

from hubgraph import serving
from hubgraph.testing import ServerThread


def _connect(server: ServerThread) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    return sock


def _answer(sock: socket.socket) -> tuple[int, dict[str, object]]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return int(head.split(b" ")[1]), orjson.loads(body)


def _closed(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


@pytest.mark.parametrize(
    "head",
    [
        b"GET /_hubgraph/health HTTP/1.1\r\nHost: localhost\r\nX-Big: "
        + b"a" * 100_000
        + b"\r\n\r\n",
        b"GET /_hubgraph/health?" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET /_hubgraph/health HTTP/1.1\r\n" + b"X-Many: a\r\n" * 20_000 + b"\r\n",
    ],
    ids=["one-big-header", "long-url", "many-headers"],
)
def test_a_head_over_64_kib_is_a_431_envelope(head: bytes, live_server: ServerThread) -> None:
    with _connect(live_server) as sock:
        sock.sendall(head)
        status, body = _answer(sock)
    assert status == 431
    assert body["status"] == "error"
    assert body["category"] == "VALIDATION_ERROR"
    assert "65536" in str(body["message"])


def test_an_unfinished_head_over_64_kib_is_refused_before_it_ends(
    live_server: ServerThread,
) -> None:
    with _connect(live_server) as sock:
        # No end of head is ever sent: the server must not wait for one.
        sock.sendall(b"GET /_hubgraph/health HTTP/1.1\r\nX-Big: " + b"a" * 80_000)
        status, _body = _answer(sock)
    assert status == 431


def test_a_head_sent_one_line_at_a_time_is_cut_off(
    live_server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serving, "HEADER_TIMEOUT_SECONDS", 1.0)
    with _connect(live_server) as sock:
        started = time.monotonic()
        sock.sendall(b"GET /_hubgraph/health HTTP/1.1\r\n")
        closed = False
        while time.monotonic() - started < 5 and not closed:
            try:
                sock.sendall(b"X-Slow: a\r\n")
            except OSError:
                closed = True
                break
            sock.settimeout(0.3)
            with contextlib.suppress(TimeoutError):
                closed = sock.recv(1) == b""
        elapsed = time.monotonic() - started
    assert closed, "the server kept a connection whose head never ended"
    assert elapsed < 3


def test_an_idle_connection_that_never_starts_a_request_is_closed(
    live_server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serving, "HEADER_TIMEOUT_SECONDS", 1.0)
    with _connect(live_server) as sock:
        sock.settimeout(4)
        assert _closed(sock)


def test_a_normal_request_on_a_kept_alive_connection_still_works(live_server: ServerThread) -> None:
    with _connect(live_server) as sock:
        for _ in range(3):
            sock.sendall(b"GET /_hubgraph/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            status, body = _answer(sock)
            assert status == 200
            assert body["status"] == "ok"


def test_a_head_just_under_the_cap_in_pieces_is_answered(live_server: ServerThread) -> None:
    # The blank line that ends the head is split across two reads.
    head = b"GET /_hubgraph/health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * 60_000
    pieces = [head[:20_000], head[20_000:40_000], head[40_000:] + b"\r\n\r", b"\n"]
    with _connect(live_server) as sock:
        for piece in pieces:
            sock.sendall(piece)
            time.sleep(0.05)
        status, body = _answer(sock)
    assert (status, body["status"]) == (200, "ok")


def test_pipelined_requests_are_each_answered(live_server: ServerThread) -> None:
    one = b"GET /_hubgraph/health HTTP/1.1\r\nHost: localhost\r\n\r\n"
    with _connect(live_server) as sock:
        sock.sendall(one * 3)
        answers = b""
        while answers.count(b"HTTP/1.1 200") < 3:
            chunk = sock.recv(65536)
            assert chunk, f"closed after {answers.count(b'HTTP/1.1 200')} answers"
            answers += chunk
    assert answers.count(b"HTTP/1.1 200") == 3


@pytest.mark.parametrize(
    "request_bytes",
    [b"NOT A REQUEST\r\n\r\n", b"GET / HTTP/1.1\r\nBad Header\r\n\r\n"],
    ids=["request-line", "header-line"],
)
def test_a_malformed_request_is_a_400_envelope(
    request_bytes: bytes, live_server: ServerThread
) -> None:
    with _connect(live_server) as sock:
        sock.sendall(request_bytes)
        status, body = _answer(sock)
        assert _closed(sock)
    assert status == 400
    assert body["category"] == "VALIDATION_ERROR"
    assert body["message"] == "Invalid HTTP request received"


def test_a_kept_alive_connection_outlives_the_head_timer_between_requests(
    live_server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The head timer runs only while a head is arriving: a pause between two requests
    # longer than it (but within keep-alive, 5 s) must not cost the connection.
    monkeypatch.setattr(serving, "HEADER_TIMEOUT_SECONDS", 1.0)
    one = b"GET /_hubgraph/health HTTP/1.1\r\nHost: localhost\r\n\r\n"
    with _connect(live_server) as sock:
        sock.sendall(one)
        assert _answer(sock)[0] == 200
        time.sleep(2.5)
        sock.sendall(one)
        status, body = _answer(sock)
    assert (status, body["status"]) == (200, "ok")
