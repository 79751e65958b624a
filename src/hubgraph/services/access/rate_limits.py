"""Which rate limits apply to a portal, and setting its tier (reference §9.1).

A portal is limited only when it has a tier (``set_tier``) or the server has a default
(``HUBGRAPH_DEFAULT_RATE_LIMIT_TIER``): test suites that never ask are never throttled.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from hubgraph.config import Settings
from hubgraph.domain.rate_limits import RateLimitPolicy, oauth_policy, tier_policy
from hubgraph.services.context import Services
from hubgraph.store import rate_limits as store


@dataclass(frozen=True, slots=True)
class Tier:
    tier: str
    add_ons: int = 0
    ten_secondly_max: int | None = None
    daily_max: int | None = None


def policy_for(
    conn: Connection, settings: Settings, portal_id: int, *, oauth: bool
) -> RateLimitPolicy | None:
    row = store.find_tier(conn, portal_id)
    if row is None:
        if settings.default_rate_limit_tier is None:
            return None
        row = store.TierRow(settings.default_rate_limit_tier, 0, None, None)
    if oauth:
        return oauth_policy(row.ten_secondly_max)
    return tier_policy(row.tier, row.add_ons, row.ten_secondly_max, row.daily_max)


def set_tier(services: Services, portal_id: int, tier: Tier) -> RateLimitPolicy:
    """Raises ``UnknownTier`` for a tier §9.1 doesn't name; returns the resulting limits."""
    policy = tier_policy(tier.tier, tier.add_ons, tier.ten_secondly_max, tier.daily_max)
    row = store.TierRow(tier.tier, tier.add_ons, tier.ten_secondly_max, tier.daily_max)
    with services.database.write() as conn:
        store.set_tier(conn, portal_id, row)
    return policy


def clear_tier(services: Services, portal_id: int) -> None:
    with services.database.write() as conn:
        store.clear_tier(conn, portal_id)
