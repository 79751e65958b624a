"""Time as HubSpot renders it: epoch milliseconds stored, ISO-8601 UTC with ms shown."""

from __future__ import annotations

import time
from functools import lru_cache


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@lru_cache(maxsize=4096)
def iso(epoch_ms: int) -> str:
    """``2024-10-21T20:22:42.152Z``, HubSpot's timestamp form.

    A record shows its two instants five times (``createdAt``, ``createdate``, …), and a
    page of records written together shares them: remembered, they cost a dict lookup.
    ``gmtime`` and one f-string take a third of ``datetime.strftime``'s time.
    """
    seconds, millis = divmod(epoch_ms, 1000)
    t = time.gmtime(seconds)
    return (
        f"{t.tm_year}-{t.tm_mon:02d}-{t.tm_mday:02d}T"
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}.{millis:03d}Z"
    )
