"""Concurrency: 8 clients write overlapping pairs, and race for limited slots, at once.

Through a real server on both databases: no 5xx, no duplicate rows, every row has its
reverse, and a configured association limit holds exactly (never one row more).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import product
from threading import Barrier
from typing import Any

from sqlalchemy import insert, select

from hubgraph.domain.association_types import Category
from hubgraph.services.context import Services
from hubgraph.store.associations import CATEGORY_CODES
from hubgraph.store.tables import association_limits, associations
from tests.support.live import LivePortal

URL = "/crm/v4/associations/{}/{}/batch/associate/default"
CLIENTS = 8
CONTACT, COMPANY = "0-1", "0-2"
CONTACT_TO_COMPANY, COMPANY_TO_CONTACT = 279, 280


def run_clients(work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` on CLIENTS threads released at the same instant."""
    start = Barrier(CLIENTS)

    def client(i: int) -> Any:
        start.wait()
        return work(i)

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(client, range(CLIENTS)))


def stored_rows(services: Services, portal_id: int) -> list[tuple[str, int, str, int, int, int]]:
    a = associations.c
    with services.database.read() as conn:
        rows = conn.execute(
            select(a.from_type, a.from_id, a.to_type, a.to_id, a.category, a.type_id).where(
                a.portal_id == portal_id
            )
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def assert_both_directions(rows: list[tuple[str, int, str, int, int, int]]) -> None:
    duplicates = [r for r, n in Counter(rows).items() if n > 1]
    assert not duplicates
    present = set(rows)
    inverse = {CONTACT_TO_COMPANY: COMPANY_TO_CONTACT, COMPANY_TO_CONTACT: CONTACT_TO_COMPANY}
    for from_type, from_id, to_type, to_id, category, type_id in rows:
        reverse = (to_type, to_id, from_type, from_id, category, inverse[type_id])
        assert reverse in present, f"{reverse} is missing"


def test_overlapping_writes_store_each_association_once_in_both_directions(
    services: Services, live_portal: LivePortal
) -> None:
    contacts = live_portal.create_records("contacts", 15)
    companies = live_portal.create_records("companies", 15)
    pairs = list(product(contacts, companies))

    def work(i: int) -> list[int]:
        # Every client writes every pair, in its own order and batch cut: maximal overlap.
        mine = pairs[:]
        random.Random(i).shuffle(mine)
        statuses = []
        with live_portal.client() as http:
            for start in range(0, len(mine), 45):
                body = {
                    "inputs": [
                        {"from": {"id": f}, "to": {"id": t}} for f, t in mine[start : start + 45]
                    ]
                }
                response = http.post(URL.format("contacts", "companies"), json=body)
                statuses.append(response.status_code)
                assert "errors" not in response.json(), response.text
        return statuses

    statuses = [s for per_client in run_clients(work) for s in per_client]
    assert set(statuses) == {200}
    rows = stored_rows(services, live_portal.id)
    assert len(rows) == 2 * len(pairs)
    assert_both_directions(rows)


def test_a_limit_holds_exactly_under_racing_writers(
    services: Services, live_portal: LivePortal
) -> None:
    limit = 3
    contacts = live_portal.create_records("contacts", 4)
    companies = live_portal.create_records("companies", CLIENTS * 3)
    # No limits API on this branch yet: the row goes in through the table the API will use.
    with services.database.write() as conn:
        conn.execute(
            insert(association_limits).values(
                portal_id=live_portal.id,
                from_type=CONTACT,
                to_type=COMPANY,
                category=CATEGORY_CODES[Category.HUBSPOT_DEFINED],
                type_id=CONTACT_TO_COMPANY,
                max_to_object_ids=limit,
            )
        )

    def work(i: int) -> tuple[int, int]:
        # Each client tries to give every contact three more companies than anyone else.
        accepted = rejected = 0
        with live_portal.client() as http:
            for company in companies[i * 3 : i * 3 + 3]:
                body = {"inputs": [{"from": {"id": c}, "to": {"id": company}} for c in contacts]}
                response = http.post(URL.format("contacts", "companies"), json=body)
                assert response.status_code == 200, response.text
                payload = response.json()
                rejected += payload.get("numErrors", 0)
                accepted += len(payload["results"]) // 2
        return accepted, rejected

    outcomes = run_clients(work)
    accepted = sum(a for a, _ in outcomes)
    rejected = sum(r for _, r in outcomes)
    rows = stored_rows(services, live_portal.id)
    forward = Counter(r[1] for r in rows if r[0] == CONTACT)
    assert forward == {int(c): limit for c in contacts}
    assert accepted == limit * len(contacts)
    assert rejected == CLIENTS * 3 * len(contacts) - accepted
    assert_both_directions(rows)
