"""HubSpot's wording for expired tokens and rate limits."""

from __future__ import annotations

import pytest

from hubgraph.errors import ExpiredAuthentication, RateLimited


@pytest.mark.parametrize(
    ("seconds", "wording"),
    [
        (0, "0 second(s)"),
        (59, "59 second(s)"),
        (60, "1 minute(s)"),
        (7_199, "1 hour(s)"),
        (86_400 * 20_000, "20000 day(s)"),
    ],
)
def test_expired_message_counts_in_the_largest_whole_unit(seconds: int, wording: str) -> None:
    error = ExpiredAuthentication(seconds, "2026-01-01T00:00:00.000Z")
    assert error.message == f"The OAuth token used to make this call expired {wording} ago."
    assert error.body("c")["context"] == {"expire time": ["2026-01-01T00:00:00.000Z"]}


def test_rate_limit_bodies_name_the_policy() -> None:
    burst = RateLimited("TEN_SECONDLY_ROLLING", "r").body("c")
    assert burst == {
        "status": "error",
        "message": "You have reached your ten_secondly_rolling limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": "c",
        "policyName": "TEN_SECONDLY_ROLLING",
        "requestId": "r",
    }
    assert RateLimited("DAILY", "r").message == "You have reached your daily limit."
