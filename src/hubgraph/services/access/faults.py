"""Fault injection, for clients testing their retry logic: latency, 429s, 423s and 5xx."""

from __future__ import annotations

import uuid

from hubgraph.domain.faults import Fault
from hubgraph.services.context import Services


def add_fault(
    services: Services,
    *,
    route: str,
    method: str | None = None,
    portal_id: int | None = None,
    status: int | None = None,
    latency_ms: int = 0,
    rate: float = 1.0,
    count: int | None = None,
) -> Fault:
    """Raises ``InvalidFault`` for a fault that could never fire or isn't HubSpot-shaped."""
    fault = Fault(
        id=uuid.uuid4().hex[:12],
        route=route,
        method=method.upper() if method else None,
        portal_id=portal_id,
        status=status,
        latency_ms=latency_ms,
        rate=rate,
        count=count,
    )
    services.shared.faults.add(fault)
    return fault


def list_faults(services: Services, portal_id: int | None = None) -> list[Fault]:
    return services.shared.faults.list(portal_id)


def clear_faults(services: Services, portal_id: int | None = None) -> int:
    """Drop the portal's faults (every fault when ``portal_id`` is None); a reset calls this."""
    return services.shared.faults.clear(portal_id)
