"""Time as HubSpot renders it: epoch milliseconds stored, ISO-8601 UTC with ms shown."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def iso(epoch_ms: int) -> str:
    """``2024-10-21T20:22:42.152Z``, HubSpot's timestamp form."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"
