"""Rate limits and injected faults, applied to every authenticated HubSpot request."""

from __future__ import annotations

import asyncio
import uuid

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from hubgraph import metrics
from hubgraph.api.http.response_headers import STATE_KEY
from hubgraph.domain.faults import FAULT_BODIES, Fault
from hubgraph.domain.rate_limits import DAILY, TEN_SECONDLY_ROLLING, TEN_SECONDLY_WINDOW_MS
from hubgraph.errors import InjectedFault, RateLimited, SearchRateLimited
from hubgraph.services.access import admission
from hubgraph.services.access.portals import Principal
from hubgraph.services.context import Services


def _rate_limit_headers(verdict: admission.Verdict) -> list[tuple[str, str]]:
    limits, counted = verdict.limits, verdict.admission
    # Search responses carry no rate-limit headers (reference §4.4).
    if limits is None or counted is None or verdict.search:
        return []
    headers = [
        ("X-HubSpot-RateLimit-Interval-Milliseconds", str(TEN_SECONDLY_WINDOW_MS)),
        ("X-HubSpot-RateLimit-Max", str(limits.ten_secondly_max)),
        (
            "X-HubSpot-RateLimit-Remaining",
            str(max(limits.ten_secondly_max - counted.window_used, 0)),
        ),
    ]
    # Omitted for OAuth calls, which have no daily limit (reference §9.2).
    if limits.daily_max is not None:
        headers += [
            ("X-HubSpot-RateLimit-Daily", str(limits.daily_max)),
            (
                "X-HubSpot-RateLimit-Daily-Remaining",
                str(max(limits.daily_max - counted.daily_used, 0)),
            ),
        ]
    return headers


def url_path(request: Request) -> str:
    """``request.url.path`` without building the whole URL (its host, port and query), which
    cost more than the rest of a request's admission."""
    path: str = request.scope["path"]
    return path.replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")


async def admit(request: Request, services: Services, principal: Principal) -> None:
    if principal.limits is None and not services.shared.blocking:
        # In memory, with no limits: only a fault could apply, and the check is a dict lookup.
        fault = services.shared.faults.pick(principal.portal_id, request.method, url_path(request))
        if fault is not None:
            await _apply(fault)
        return
    args = (services, principal, request.method, url_path(request))
    if services.shared.blocking:
        verdict = await run_in_threadpool(admission.admit, *args)
    else:
        verdict = admission.admit(*args)
    headers = _rate_limit_headers(verdict)
    if headers:
        request.scope.setdefault("state", {})[STATE_KEY] = headers
    refused_by = verdict.admission.refused_by if verdict.admission is not None else None
    if refused_by is not None:
        metrics.RATE_LIMIT_REFUSALS.labels(refused_by).inc()
        if verdict.search and refused_by != DAILY:
            raise SearchRateLimited()
        raise RateLimited(refused_by, str(uuid.uuid4()))
    if verdict.fault is not None:
        await _apply(verdict.fault)


async def _apply(fault: Fault) -> None:
    if fault.latency_ms:
        await asyncio.sleep(fault.latency_ms / 1000)
    if fault.status == 429:
        raise RateLimited(TEN_SECONDLY_ROLLING, str(uuid.uuid4()))
    if fault.status is not None:
        message, category = FAULT_BODIES[fault.status]
        raise InjectedFault(fault.status, message, category)
