"""State every worker process must share: rate-limit counters and injected faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hubgraph.config import Settings
from hubgraph.services.state.counters import MemoryCounters, RateCounters, RedisCounters
from hubgraph.services.state.fault_store import FaultStore, MemoryFaults, RedisFaults

if TYPE_CHECKING:
    import redis


@dataclass(frozen=True)
class SharedState:
    counters: RateCounters = field(default_factory=MemoryCounters)
    faults: FaultStore = field(default_factory=MemoryFaults)
    client: redis.Redis | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SharedState:
        if not settings.redis_url:
            return cls()
        import redis  # ~0.1 s to import: only when configured (start-up time)

        client = redis.Redis.from_url(settings.redis_url)
        prefix = settings.redis_key_prefix
        return cls(RedisCounters(client, prefix), RedisFaults(client, prefix), client)

    @property
    def blocking(self) -> bool:
        """True when reaching the state is network I/O, to be kept off the event loop."""
        return self.client is not None

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
