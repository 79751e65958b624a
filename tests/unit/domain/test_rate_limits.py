"""HubSpot's limits by tier (reference §9.1)."""

from __future__ import annotations

import pytest

from hubgraph.domain.rate_limits import (
    RateLimitPolicy,
    UnknownTier,
    oauth_policy,
    tier_policy,
)


def test_add_ons_raise_the_burst_once_and_the_daily_limit_per_add_on() -> None:
    assert tier_policy("professional", add_ons=1) == RateLimitPolicy(250, 1_625_000)
    assert tier_policy("professional", add_ons=2) == RateLimitPolicy(250, 2_625_000)
    assert tier_policy("professional", add_ons=5) == tier_policy("professional", add_ons=2)


def test_oauth_apps_get_110_per_ten_seconds_and_no_daily_limit() -> None:
    assert oauth_policy() == RateLimitPolicy(110, None)
    assert oauth_policy(7) == RateLimitPolicy(7, None)


def test_unknown_tier() -> None:
    with pytest.raises(UnknownTier):
        tier_policy("platinum")
