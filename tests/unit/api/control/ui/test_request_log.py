"""The request log's ring: bounded per portal and in portals, newest first."""

from __future__ import annotations

from hubgraph.api.control.ui.request_log import LoggedRequest, RequestLog, _Body, token_kind


def entry(path: str) -> LoggedRequest:
    return LoggedRequest(
        started_at_ms=0,
        method="GET",
        path=path,
        query="",
        status=200,
        duration_ms=1.0,
        correlation_id="c",
        client_key="pat:0123",
        request_media_type="",
        request_size=0,
        request_body=b"",
        response_media_type="",
        response_size=0,
        response_body=b"",
    )


def test_each_portal_keeps_its_last_requests_newest_first() -> None:
    log = RequestLog(per_portal=3, portals=10)
    for i in range(5):
        log.add(1, entry(f"/{i}"))
    log.add(2, entry("/other"))
    assert [e.path for e in log.recent(1)] == ["/4", "/3", "/2"]
    assert [e.path for e in log.recent(2)] == ["/other"]
    assert log.recent(3) == []


def test_the_least_recently_active_portal_is_dropped_first() -> None:
    log = RequestLog(per_portal=3, portals=2)
    log.add(1, entry("/a"))
    log.add(2, entry("/b"))
    log.add(1, entry("/c"))  # portal 1 is now the most recent
    log.add(3, entry("/d"))
    assert log.recent(2) == []
    assert [e.path for e in log.recent(1)] == ["/c", "/a"]
    assert [e.path for e in log.recent(3)] == ["/d"]


def test_a_body_keeps_its_first_bytes_and_counts_all() -> None:
    body = _Body(limit=5)
    for chunk in (b"abc", b"defg", b"", b"hij"):
        body.add(chunk)
    assert body.value() == b"abcde"
    assert body.size == 10


def test_token_kinds() -> None:
    assert token_kind("pat:0123456789abcdef") == "private app"
    assert token_kind("app:42") == "OAuth (app 42)"
