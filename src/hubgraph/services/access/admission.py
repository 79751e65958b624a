"""Per request, after authentication: count it against its limits, then apply any fault."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from hubgraph.domain.faults import Fault
from hubgraph.domain.rate_limits import TEN_SECONDLY_WINDOW_MS, RateLimitPolicy
from hubgraph.domain.search import SEARCH_PER_SECOND, SEARCH_WINDOW_MS, is_search
from hubgraph.services.access.portals import Principal
from hubgraph.services.context import Services
from hubgraph.services.state.counters import Admission


@dataclass(frozen=True, slots=True)
class Verdict:
    limits: RateLimitPolicy | None
    admission: Admission | None
    fault: Fault | None
    search: bool = False
    """Counted against CRM search's per-second limit per account, not the ten-secondly one."""


def _daily_key(portal_id: int) -> str:
    # HubSpot resets at midnight in the account's time zone; hubgraph portals are UTC.
    return f"{portal_id}:{datetime.now(UTC):%Y%m%d}"


def admit(services: Services, principal: Principal, method: str, path: str) -> Verdict:
    """Blocking when the shared state is Redis: run it off the event loop then."""
    limits = principal.limits
    admission = None
    search = is_search(method, path)
    if limits is not None:
        daily_key = _daily_key(principal.portal_id) if limits.daily_max is not None else None
        if search:
            window = (f"{principal.portal_id}:search", SEARCH_PER_SECOND, SEARCH_WINDOW_MS)
        else:
            window = (
                f"{principal.portal_id}:{principal.client_key}",
                limits.ten_secondly_max,
                TEN_SECONDLY_WINDOW_MS,
            )
        admission = services.shared.counters.admit(*window, daily_key, limits.daily_max)
        if admission.refused_by is not None:
            return Verdict(limits, admission, None, search)
    fault = services.shared.faults.pick(principal.portal_id, method, path)
    return Verdict(limits, admission, fault, search)
