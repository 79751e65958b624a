"""``/_hubgraph/portals/{portalId}/rate-limits``: give a portal HubSpot's limits for a tier."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.control.models import TIER_INPUT
from hubgraph.api.http.body import parse_body, read_body
from hubgraph.api.http.common import json_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import AdminDep, PrincipalCache, ServicesDep
from hubgraph.domain.rate_limits import TIERS, UnknownTier
from hubgraph.errors import ValidationError
from hubgraph.services.access import rate_limits

router = APIRouter(
    route_class=DeferredAPIRoute,
    prefix="/_hubgraph/portals/{portalId}/rate-limits",
    dependencies=[AdminDep],
)


def _forget_principals(request: Request) -> None:
    # Cached principals carry the old limits; other workers pick the change up within 5 s.
    cache: PrincipalCache = request.app.state.principal_cache
    cache.clear()


@router.put("")
async def set_rate_limits(
    portalId: int,
    request: Request,
    services: ServicesDep,
) -> Response:
    body = parse_body(await read_body(request, services.settings.max_body_bytes), TIER_INPUT)
    tier = rate_limits.Tier(body.tier, body.add_ons, body.ten_secondly_max, body.daily_max)
    try:
        policy = await run_in_threadpool(rate_limits.set_tier, services, portalId, tier)
    except UnknownTier:
        raise ValidationError(f"tier must be one of {', '.join(TIERS)}") from None
    _forget_principals(request)
    return json_response(
        {
            "portalId": portalId,
            "tier": body.tier,
            "addOns": body.add_ons,
            "tenSecondlyMax": policy.ten_secondly_max,
            "dailyMax": policy.daily_max,
        }
    )


@router.delete("")
async def clear_rate_limits(portalId: int, request: Request, services: ServicesDep) -> Response:
    await run_in_threadpool(rate_limits.clear_tier, services, portalId)
    _forget_principals(request)
    return no_content()
