"""Delivering outbox events to apps: batched, signed, concurrent within limits, retried.

Every server process runs one ``DeliveryWorker``. A worker claims due events by leasing
them (``claimed_until``) in a write transaction, under ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so workers on several nodes never send the same attempt; a node that dies
mid-request leaves its lease to expire and the attempt is sent again (at least once, as
HubSpot, reference §5.1). Results are written back in one transaction per request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass

import httpx2 as httpx
import orjson
from starlette.concurrency import run_in_threadpool

from hubgraph import metrics
from hubgraph.domain.webhooks import (
    MAX_EVENTS_PER_REQUEST,
    parse_retry_schedule,
    retry_delay_s,
    signature_v1,
    signature_v3,
)
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.store import oauth as oauth_store
from hubgraph.store import webhooks as store
from hubgraph.store.webhooks import EventRow

log = logging.getLogger("hubgraph.webhooks")

USER_AGENT = (
    "HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nio-http-client) - hubgraph"
)
CLAIM_LIMIT = 500
# Events of an app without settings (deleted: deliveries paused, §1.2) are looked at again
# this much later rather than on every poll.
PAUSED_RECHECK_MS = 1000


@dataclass(frozen=True, slots=True)
class Target:
    url: str
    max_concurrent_requests: int
    client_secret: str


@dataclass(frozen=True, slots=True)
class Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int
    timed_out: bool = False

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def label(self) -> str:
        """The ``outcome`` label of ``hubgraph_webhook_delivery_attempts``."""
        if self.status_code is None:
            return "timeout" if self.timed_out else "connection_error"
        if self.delivered:
            return "success"
        status_class = self.status_code // 100
        return f"http_{status_class}xx" if status_class in (3, 4, 5) else "http_other"


class DeliveryWorker:
    def __init__(self, services: Services) -> None:
        settings = services.settings
        self._services = services
        self._poll_s = settings.webhook_poll_interval_ms / 1000
        self._timeout_ms = settings.webhook_timeout_ms
        self._schedule = parse_retry_schedule(settings.webhook_retry_schedule)
        self._limits: dict[tuple[int, int, int], asyncio.Semaphore] = {}
        self._in_flight: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None

    async def run(self, stopping: asyncio.Event) -> None:
        """Rounds until ``stopping`` is set; a round in progress (a thread holding a
        database connection) always finishes, so shutdown never strands a connection."""
        try:
            while not stopping.is_set():
                try:
                    await self._deliver_due()
                except Exception:  # a database hiccup must not end deliveries for good
                    log.exception("webhook delivery round failed")
                with suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), self._poll_s)
            await self.drain()
        finally:
            if self._client is not None:
                await self._client.aclose()

    def _http_client(self) -> httpx.AsyncClient:
        # Made when the first event is due, not when the worker starts: making it imports
        # httpcore's backends (trio, and ctypes, which runs ldconfig), 0.14 s of CPU on
        # the event loop and ~140 modules in every worker, most of which never sends one.
        if self._client is None:
            timeout = httpx.Timeout(self._timeout_ms / 1000)
            self._client = httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        return self._client

    async def _deliver_due(self) -> None:
        claimed = await run_in_threadpool(self._claim)
        if not claimed:
            return
        client = self._http_client()
        targets = await run_in_threadpool(self._targets, {e.app_id for e in claimed})
        groups: dict[tuple[int, int], list[EventRow]] = defaultdict(list)
        paused: list[EventRow] = []
        for event in claimed:
            if event.app_id in targets:
                groups[(event.app_id, event.portal_id)].append(event)
            else:
                paused.append(event)
        if paused:
            await run_in_threadpool(self._postpone, paused)
        for (app_id, portal_id), events in groups.items():
            target = targets[app_id]
            for start in range(0, len(events), MAX_EVENTS_PER_REQUEST):
                chunk = events[start : start + MAX_EVENTS_PER_REQUEST]
                task = asyncio.create_task(self._send(client, (app_id, portal_id), target, chunk))
                self._in_flight.add(task)
                task.add_done_callback(self._in_flight.discard)

    def _claim(self) -> list[EventRow]:
        now = now_ms()
        with self._services.database.read() as conn:
            if not store.any_due_event(conn, now):
                return []
        # the lease outlives the request, so no other worker takes these while they fly
        lease = self._timeout_ms + 10_000
        with self._services.database.write() as conn:
            return store.claim_due_events(conn, now, lease, CLAIM_LIMIT)

    def _targets(self, app_ids: set[int]) -> dict[int, Target]:
        found: dict[int, Target] = {}
        with self._services.database.read() as conn:
            for app_id in app_ids:
                settings = store.get_settings(conn, app_id)
                if settings is None:
                    continue
                secret = oauth_store.app_client_secret(conn, app_id) or ""
                found[app_id] = Target(
                    settings.target_url, settings.max_concurrent_requests, secret
                )
        return found

    def _postpone(self, events: list[EventRow]) -> None:
        later = now_ms() + PAUSED_RECHECK_MS
        with self._services.database.write() as conn:
            for e in events:
                store.settle_event(
                    conn,
                    e,
                    state=store.PENDING,
                    attempt_number=e.attempt_number,
                    next_attempt_at=later,
                )

    async def _send(
        self,
        client: httpx.AsyncClient,
        key: tuple[int, int],
        target: Target,
        events: list[EventRow],
    ) -> None:
        # keyed by the limit too: a changed maxConcurrentRequests applies to new requests
        limit = self._limits.setdefault(
            (*key, target.max_concurrent_requests),
            asyncio.Semaphore(target.max_concurrent_requests),
        )
        async with limit:
            body = orjson.dumps([{**e.payload, "attemptNumber": e.attempt_number} for e in events])
            sent_at = now_ms()
            outcome = await self._post(client, target, body)
        await run_in_threadpool(self._settle, events, sent_at, outcome)

    async def _post(self, client: httpx.AsyncClient, target: Target, body: bytes) -> Outcome:
        timestamp = str(now_ms())
        headers = {
            "Content-Type": "application/json",
            "Accept": "*/*",
            "User-Agent": USER_AGENT,
            "X-HubSpot-Signature": signature_v1(target.client_secret, body),
            "X-HubSpot-Signature-Version": "v1",
            "X-HubSpot-Signature-v3": signature_v3(
                target.client_secret, "POST", target.url, body, timestamp
            ),
            "X-HubSpot-Request-Timestamp": timestamp,
            "X-HubSpot-Timeout-Millis": str(self._timeout_ms),
        }
        started = time.monotonic()
        try:
            response = await client.post(target.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            elapsed = int((time.monotonic() - started) * 1000)
            timed_out = isinstance(exc, httpx.TimeoutException)
            return Outcome(None, f"{type(exc).__name__}: {exc}"[:500], elapsed, timed_out)
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(response.status_code, None, elapsed)

    def _settle(self, events: list[EventRow], sent_at: int, outcome: Outcome) -> None:
        retried = dropped = 0
        with self._services.database.write() as conn:
            for e in events:
                store.add_attempt(
                    conn, e, sent_at, outcome.duration_ms, outcome.status_code, outcome.error
                )
                if outcome.delivered:
                    store.settle_event(
                        conn,
                        e,
                        state=store.DELIVERED,
                        attempt_number=e.attempt_number,
                        next_attempt_at=e.next_attempt_at,
                    )
                    continue
                delay = retry_delay_s(self._schedule, e.attempt_number + 1)
                if delay is None:
                    dropped += 1
                else:
                    retried += 1
                store.settle_event(
                    conn,
                    e,
                    state=store.DROPPED if delay is None else store.PENDING,
                    attempt_number=e.attempt_number if delay is None else e.attempt_number + 1,
                    next_attempt_at=now_ms() + int((delay or 0) * 1000),
                )
        # counted once the results are committed: a failed write retries the attempt
        metrics.WEBHOOK_DELIVERY_ATTEMPTS.labels(outcome.label).inc(len(events))
        if retried:
            metrics.WEBHOOK_RETRIES_SCHEDULED.inc(retried)
        if dropped:
            metrics.WEBHOOK_EVENTS_DROPPED.inc(dropped)

    async def drain(self) -> None:
        """Let requests in flight finish (their results are written) before shutdown."""
        if self._in_flight:
            await asyncio.wait(self._in_flight, timeout=self._timeout_ms / 1000 + 1)


@asynccontextmanager
async def deliveries_running(services: Services) -> AsyncIterator[None]:
    """A delivery worker for as long as the server runs (unless switched off)."""
    if not services.settings.webhook_delivery:
        yield
        return
    worker = DeliveryWorker(services)
    stopping = asyncio.Event()
    task = asyncio.create_task(worker.run(stopping))
    try:
        yield
    finally:
        stopping.set()
        await task
