"""Where injected faults live: Redis when configured (all workers see them), else memory.

A fault with a ``count`` fires exactly that many times in total, across workers: each
hit takes one from an atomic counter (Redis ``DECR``, or a lock in memory).
"""

from __future__ import annotations

import random
import threading
from typing import TYPE_CHECKING, Protocol

import orjson

from hubgraph.domain.faults import Fault

if TYPE_CHECKING:  # imported only when a Redis URL is configured (start-up time)
    import redis


def _chance(rate: float) -> bool:
    # Fault rates are for test traffic, not security: the stdlib PRNG is the right tool.
    return rate >= 1 or random.random() < rate  # noqa: S311


class FaultStore(Protocol):
    def add(self, fault: Fault) -> None: ...

    def list(self, portal_id: int | None = None) -> list[Fault]: ...

    def clear(self, portal_id: int | None = None) -> int: ...

    def pick(self, portal_id: int, method: str, path: str) -> Fault | None: ...


def _of_portal(faults: list[Fault], portal_id: int | None) -> list[Fault]:
    return [f for f in faults if portal_id is None or f.portal_id == portal_id]


class MemoryFaults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str, Fault] = {}
        self._left: dict[str, int] = {}

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults[fault.id] = fault
            if fault.count is not None:
                self._left[fault.id] = fault.count

    def list(self, portal_id: int | None = None) -> list[Fault]:
        with self._lock:
            return _of_portal(list(self._faults.values()), portal_id)

    def clear(self, portal_id: int | None = None) -> int:
        with self._lock:
            doomed = [f.id for f in _of_portal(list(self._faults.values()), portal_id)]
            for fault_id in doomed:
                del self._faults[fault_id]
                self._left.pop(fault_id, None)
            return len(doomed)

    def pick(self, portal_id: int, method: str, path: str) -> Fault | None:
        if not self._faults:
            return None
        with self._lock:
            for fault in self._faults.values():
                if not fault.matches(portal_id, method, path) or not _chance(fault.rate):
                    continue
                if fault.count is None:
                    return fault
                if self._left.get(fault.id, 0) > 0:
                    self._left[fault.id] -= 1
                    return fault
        return None


class RedisFaults:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._client = client
        self._faults_key = f"{prefix}faults"
        self._prefix = prefix

    def _left_key(self, fault_id: str) -> str:
        return f"{self._prefix}fault:{fault_id}:left"

    def add(self, fault: Fault) -> None:
        pipe = self._client.pipeline()
        pipe.hset(self._faults_key, fault.id, orjson.dumps(fault.to_json()))
        if fault.count is not None:
            pipe.set(self._left_key(fault.id), fault.count)
        pipe.execute()

    def _all(self) -> list[Fault]:
        stored: dict[bytes, bytes] = self._client.hgetall(self._faults_key)  # type: ignore[assignment]
        return [Fault.from_json(orjson.loads(v)) for v in stored.values()]

    def list(self, portal_id: int | None = None) -> list[Fault]:
        return _of_portal(self._all(), portal_id)

    def clear(self, portal_id: int | None = None) -> int:
        doomed = [f.id for f in self.list(portal_id)]
        if doomed:
            pipe = self._client.pipeline()
            pipe.hdel(self._faults_key, *doomed)
            pipe.delete(*(self._left_key(i) for i in doomed))
            pipe.execute()
        return len(doomed)

    def pick(self, portal_id: int, method: str, path: str) -> Fault | None:
        for fault in self._all():
            if not fault.matches(portal_id, method, path) or not _chance(fault.rate):
                continue
            if fault.count is None:
                return fault
            if int(self._client.decr(self._left_key(fault.id))) >= 0:
                return fault
        return None
