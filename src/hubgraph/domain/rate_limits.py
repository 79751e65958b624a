"""HubSpot's API rate limits by account tier (reference §9.1), as plain data."""

from __future__ import annotations

from dataclasses import dataclass

TEN_SECONDLY_WINDOW_MS = 10_000
TEN_SECONDLY_ROLLING = "TEN_SECONDLY_ROLLING"
DAILY = "DAILY"

# Burst per app per 10 s, daily per account; "starter" is listed with "free" in §9.1.
TIERS: dict[str, tuple[int, int]] = {
    "free": (100, 250_000),
    "starter": (100, 250_000),
    "professional": (190, 625_000),
    "enterprise": (190, 1_000_000),
}
# The API Limit Increase add-on: burst 250 (increases do not stack), +1M a day each, max 2.
ADD_ON_BURST = 250
ADD_ON_DAILY = 1_000_000
MAX_ADD_ONS = 2
# Public (marketplace) OAuth apps: 110 per installing account per 10 s, no daily limit.
OAUTH_APP_BURST = 110


@dataclass(frozen=True, slots=True)
class RateLimitPolicy:
    """One caller's limits. ``daily_max`` is None when no daily limit applies (OAuth)."""

    ten_secondly_max: int
    daily_max: int | None


class UnknownTier(ValueError):
    pass


def tier_policy(
    tier: str,
    add_ons: int = 0,
    ten_secondly_max: int | None = None,
    daily_max: int | None = None,
) -> RateLimitPolicy:
    """A private-app token's limits; explicit maxima override the tier's (for tests)."""
    if tier not in TIERS:
        raise UnknownTier(tier)
    burst, daily = TIERS[tier]
    add_ons = max(0, min(add_ons, MAX_ADD_ONS))
    if add_ons:
        burst = ADD_ON_BURST
        daily += ADD_ON_DAILY * add_ons
    return RateLimitPolicy(ten_secondly_max or burst, daily_max or daily)


def oauth_policy(ten_secondly_override: int | None = None) -> RateLimitPolicy:
    """OAuth calls: the public-app burst per account whatever the tier, no daily limit (§9.1)."""
    return RateLimitPolicy(ten_secondly_override or OAUTH_APP_BURST, None)
