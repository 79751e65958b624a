"""Crash safety: SIGKILL ``hubgraph serve`` mid-load, restart it, and count what survived.

Each batch associates one contact with the same set of companies, so every stored row
names the batch it came from. After the restart: a batch the client saw acknowledged
(2xx) is there in full, both directions; any other batch is there in full or not at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2 as httpx
from sqlalchemy import func, select

from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.store.tables import associations
from tests.support.live import LivePortal
from tests.support.processes import ServerProcess

URL = "/crm/v4/associations/contacts/companies/batch/associate/default"
BATCHES = 300
PAIRS_PER_BATCH = 100
CLIENTS = 4
KILL_AFTER_ACKS = 12
PUTS = 2000  # single PUTs take a millisecond: enough that the kill lands mid-load
CONTACT, COMPANY = "0-1", "0-2"


def _batches(contacts: list[str], companies: list[str]) -> Iterator[tuple[int, dict]]:  # type: ignore[type-arg]
    for k, contact in enumerate(contacts):
        yield k, {"inputs": [{"from": {"id": contact}, "to": {"id": c}} for c in companies]}


def _rows_per_contact(
    services: Services, portal_id: int, contacts: list[int]
) -> dict[str, dict[int, int]]:
    """For each contact, its forward rows (contact->company) and reverse rows (company->contact)."""
    a = associations.c
    counts: dict[str, dict[int, int]] = {"forward": {}, "reverse": {}}
    with services.database.read() as conn:
        forward = conn.execute(
            select(a.from_id, func.count())
            .where(a.portal_id == portal_id, a.from_type == CONTACT, a.to_type == COMPANY)
            .group_by(a.from_id)
        )
        counts["forward"] = {int(k): int(n) for k, n in forward}
        reverse = conn.execute(
            select(a.to_id, func.count())
            .where(a.portal_id == portal_id, a.from_type == COMPANY, a.to_type == CONTACT)
            .group_by(a.to_id)
        )
        counts["reverse"] = {int(k): int(n) for k, n in reverse}
    return {d: {c: counts[d].get(c, 0) for c in contacts} for d in counts}


def _load_until_killed(
    server: ServerProcess,
    portal: LivePortal,
    work: Iterator[tuple[int, Any]],
    send: Callable[[httpx.Client, Any], httpx.Response],
    kill_after: int,
) -> set[int]:
    """CLIENTS clients send ``work`` (key, item) until ``kill_after`` calls were
    acknowledged (200), then the server is SIGKILLed mid-load; the keys acknowledged."""
    acked: set[int] = set()
    enough_acked = threading.Event()
    lock = threading.Lock()

    def client() -> None:
        with portal.client(timeout=30) as http:
            while True:
                with lock:
                    item = next(work, None)
                if item is None:
                    return
                k, what = item
                try:
                    response = send(http, what)
                except httpx.TransportError:
                    return  # the server is gone
                assert response.status_code == 200, response.text
                assert "errors" not in response.json()
                with lock:
                    acked.add(k)
                    if len(acked) >= kill_after:
                        enough_acked.set()

    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(client) for _ in range(CLIENTS)]
        assert enough_acked.wait(timeout=120), server.log()
        server.kill()
        for future in futures:
            future.result()
    return acked


def test_sigkill_mid_load_loses_no_acknowledged_batch_and_half_applies_none(
    fresh_services: Services, fresh_database_url: str, tmp_path: Path
) -> None:
    portal_id = portals.create_portal(fresh_services, "crash")
    token = portals.create_token(fresh_services, portal_id)
    with ServerProcess(fresh_database_url, tmp_path / "server.log") as server:
        portal = LivePortal(portal_id, token, server.base_url)
        contacts = portal.create_records("contacts", BATCHES)
        companies = portal.create_records("companies", PAIRS_PER_BATCH)
        acked = _load_until_killed(
            server,
            portal,
            iter(_batches(contacts, companies)),
            lambda http, body: http.post(URL, json=body),
            KILL_AFTER_ACKS,
        )

    assert KILL_AFTER_ACKS <= len(acked) < BATCHES, "the kill must land mid-load"

    with ServerProcess(fresh_database_url, tmp_path / "restarted.log") as restarted:
        assert httpx.get(f"{restarted.base_url}/_hubgraph/health").json()["database"] is True
        # The restarted server takes writes again, on the records written before the kill.
        again = LivePortal(portal_id, token, restarted.base_url)
        with again.client() as http:
            response = http.post(
                URL, json={"inputs": [{"from": {"id": contacts[0]}, "to": {"id": companies[0]}}]}
            )
        assert response.status_code == 200, response.text

    counts = _rows_per_contact(fresh_services, portal_id, [int(c) for c in contacts])
    full = PAIRS_PER_BATCH
    for k, contact in enumerate(int(c) for c in contacts):
        forward, reverse = counts["forward"][contact], counts["reverse"][contact]
        assert forward == reverse, f"batch {k}: {forward} forward rows but {reverse} reverse rows"
        if k in acked:
            assert forward == full, f"acknowledged batch {k} has {forward} of {full} rows"
        else:
            assert forward in (0, full), f"batch {k} is half-applied: {forward} of {full} rows"


def test_sigkill_mid_load_loses_no_acknowledged_default_put(
    fresh_services: Services, fresh_database_url: str, tmp_path: Path
) -> None:
    """The default PUT's common case commits on the event loop (docs/performance.md): an
    acknowledged PUT survives the kill too, and no pair is left with one direction."""
    portal_id = portals.create_portal(fresh_services, "crash-put")
    token = portals.create_token(fresh_services, portal_id)
    with ServerProcess(fresh_database_url, tmp_path / "server.log") as server:
        portal = LivePortal(portal_id, token, server.base_url)
        contacts = portal.create_records("contacts", PUTS)
        [company] = portal.create_records("companies", 1)
        to_company = f"associations/default/companies/{company}"
        acked = _load_until_killed(
            server,
            portal,
            enumerate(contacts),
            lambda http, contact: http.put(f"/crm/v4/objects/contacts/{contact}/{to_company}"),
            KILL_AFTER_ACKS * 4,
        )

    assert KILL_AFTER_ACKS * 4 <= len(acked) < PUTS, "the kill must land mid-load"
    counts = _rows_per_contact(fresh_services, portal_id, [int(c) for c in contacts])
    for k, contact in enumerate(int(c) for c in contacts):
        forward, reverse = counts["forward"][contact], counts["reverse"][contact]
        assert forward == reverse, f"PUT {k}: {forward} forward rows but {reverse} reverse rows"
        if k in acked:
            assert forward == 1, f"acknowledged PUT {k} is gone"
