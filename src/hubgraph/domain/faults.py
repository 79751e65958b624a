"""Injected faults: what a client testing its retry logic asks hubgraph to do wrong."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fnmatch import fnmatchcase
from typing import Any

# Status -> (message, category) of the HubSpot-shaped body sent with it. 429 uses the
# rate-limit body (reference §9.3) instead; 423 is HubSpot's "locked during heavy sync".
FAULT_BODIES: dict[int, tuple[str, str]] = {
    423: ("The resource is locked while data syncs. Wait at least 2 seconds and retry.", "LOCKED"),
    429: ("You have reached your ten_secondly_rolling limit.", "RATE_LIMIT"),
    500: ("internal error", "INTERNAL_ERROR"),
    502: ("Bad Gateway: the upstream service did not answer properly.", "INTERNAL_ERROR"),
    503: ("Service Unavailable: please retry later.", "INTERNAL_ERROR"),
    504: ("Gateway Timeout: the request took too long to process.", "INTERNAL_ERROR"),
}
MAX_LATENCY_MS = 60_000


class InvalidFault(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Fault:
    """Fires on requests whose path matches ``route`` (a glob: ``*`` spans ``/`` too).

    ``portal_id``/``method`` None match any. ``rate`` is the chance a matching request
    is hit; ``count``, when set, stops the fault after that many hits.
    """

    id: str
    route: str
    method: str | None = None
    portal_id: int | None = None
    status: int | None = None
    latency_ms: int = 0
    rate: float = 1.0
    count: int | None = None

    def __post_init__(self) -> None:
        if self.status is None and self.latency_ms <= 0:
            raise InvalidFault("a fault needs a status, a latency, or both")
        if self.status is not None and self.status not in FAULT_BODIES:
            allowed = ", ".join(str(s) for s in FAULT_BODIES)
            raise InvalidFault(f"status must be one of {allowed}")
        if not 0 <= self.latency_ms <= MAX_LATENCY_MS:
            raise InvalidFault(f"latencyMs must be between 0 and {MAX_LATENCY_MS}")
        if not 0 < self.rate <= 1:
            raise InvalidFault("rate must be above 0 and at most 1")
        if self.count is not None and self.count < 1:
            raise InvalidFault("count must be at least 1")
        if not self.route.startswith("/"):
            raise InvalidFault("route must be a path pattern starting with /")

    def matches(self, portal_id: int, method: str, path: str) -> bool:
        return (
            (self.portal_id is None or self.portal_id == portal_id)
            and (self.method is None or self.method.upper() == method.upper())
            and fnmatchcase(path, self.route)
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        return cls(**data)
