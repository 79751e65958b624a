"""Rate-limit counters: a rolling 10-second window per app and a daily count per portal.

``RedisCounters`` keeps them in Redis (every worker process and machine shares one
limit; one Lua script per request, so check-and-count is atomic); ``MemoryCounters``
keeps them in this process, for a single worker.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # imported only when a Redis URL is configured (start-up time)
    import redis


# Daily counters outlive their day a little, so a clock skew never resets one early.
DAILY_KEY_TTL_SECONDS = 2 * 86_400


@dataclass(frozen=True, slots=True)
class Admission:
    """The outcome of one request: which limit refused it, if any, and what is used."""

    refused_by: str | None  # "TEN_SECONDLY_ROLLING", "DAILY" or None
    window_used: int
    daily_used: int


class RateCounters(Protocol):
    def admit(
        self,
        window_key: str,
        window_max: int,
        window_ms: int,
        daily_key: str | None,
        daily_max: int | None,
    ) -> Admission: ...


class MemoryCounters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, deque[float]] = {}
        self._daily: dict[str, int] = {}

    def admit(
        self,
        window_key: str,
        window_max: int,
        window_ms: int,
        daily_key: str | None,
        daily_max: int | None,
    ) -> Admission:
        now = time.monotonic()
        with self._lock:
            window = self._windows.setdefault(window_key, deque())
            while window and window[0] <= now - window_ms / 1000:
                window.popleft()
            daily_used = self._daily.get(daily_key, 0) if daily_key else 0
            if daily_key and daily_max is not None and daily_used >= daily_max:
                return Admission("DAILY", len(window), daily_used)
            if len(window) >= window_max:
                return Admission("TEN_SECONDLY_ROLLING", len(window), daily_used)
            window.append(now)
            if daily_key:
                daily_used += 1
                self._daily[daily_key] = daily_used
            return Admission(None, len(window), daily_used)


# KEYS: window sorted set, daily counter. ARGV: window ms, window max, daily max (-1: none),
# a unique member, daily TTL. Redis's own clock: every machine counts on the same time.
_ADMIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window_ms = tonumber(ARGV[1])
local window_max = tonumber(ARGV[2])
local daily_max = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window_ms)
local used = redis.call('ZCARD', KEYS[1])
local daily = 0
if daily_max >= 0 then daily = tonumber(redis.call('GET', KEYS[2]) or '0') end
if daily_max >= 0 and daily >= daily_max then return {2, used, daily} end
if used >= window_max then return {1, used, daily} end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window_ms)
if daily_max >= 0 then
  daily = redis.call('INCR', KEYS[2])
  redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5]))
end
return {0, used + 1, daily}
"""

_REFUSALS = {0: None, 1: "TEN_SECONDLY_ROLLING", 2: "DAILY"}


class RedisCounters:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._client = client
        self._prefix = prefix
        self._script = client.register_script(_ADMIT)

    def admit(
        self,
        window_key: str,
        window_max: int,
        window_ms: int,
        daily_key: str | None,
        daily_max: int | None,
    ) -> Admission:
        keys = [f"{self._prefix}rl:w:{window_key}", f"{self._prefix}rl:d:{daily_key or '-'}"]
        limit = -1 if daily_key is None or daily_max is None else daily_max
        args: list[str | int] = [
            window_ms,
            window_max,
            limit,
            uuid.uuid4().hex,
            DAILY_KEY_TTL_SECONDS,
        ]
        refused, used, daily = self._script(keys=keys, args=args)
        return Admission(_REFUSALS[int(refused)], int(used), int(daily))
