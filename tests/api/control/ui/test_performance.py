"""A record with 10,000 associations: its page shows the first 25 and counts to "1000+".

The page reports its own server time (``Server-Timing``: handler start to rendered HTML),
printed here; the figures are in docs/ui.md. Speed is measured, never asserted, in tests
(the machines are shared and noisy).
"""

from __future__ import annotations

import re
import time

from fastapi.testclient import TestClient

from hubgraph.domain.associations import Association
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.store import associations as association_store
from hubgraph.store import objects as object_store
from hubgraph.store import portals as portal_store
from tests.support.portals import Portal

ASSOCIATIONS = 10_000
RUNS = 5


def _seed(services: Services, portal_id: int) -> int:
    """One contact associated with 10,000 companies, written in bulk through the store."""
    unlabeled = services.association_types.default_for("0-1", "0-2")
    assert unlabeled is not None
    now = now_ms()
    with services.database.write() as conn:
        contact, *companies = portal_store.allocate_object_ids(conn, portal_id, ASSOCIATIONS + 1)
        object_store.insert_objects(conn, portal_id, "0-1", [(contact, {"firstname": "Hub"})], now)
        object_store.insert_objects(
            conn, portal_id, "0-2", [(c, {"name": f"Company {c}"}) for c in companies], now
        )
        rows = [
            Association("0-1", contact, "0-2", c, unlabeled.category, unlabeled.type_id)
            for c in companies
        ] + [
            Association("0-2", c, "0-1", contact, unlabeled.category, unlabeled.inverse_type_id)
            for c in companies
        ]
        association_store.insert_associations(conn, portal_id, rows, now)
    return contact


def test_a_record_with_10000_associations_renders_its_first_page(
    client: TestClient, portal: Portal, services: Services
) -> None:
    contact = _seed(services, portal.id)
    url = f"/_hubgraph/ui/portals/{portal.id}/objects/contacts/{contact}"
    server_ms: list[float] = []
    wall_ms: list[float] = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        wall_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        timing = re.fullmatch(r"app;dur=([\d.]+)", response.headers["server-timing"])
        assert timing
        server_ms.append(float(timing.group(1)))
    assert "Companies <small>1000+</small>" in response.text
    assert response.text.count('class="associated"') == 25
    print(f"record page, {ASSOCIATIONS} associations: server {sorted(server_ms)} ms")
    print(f"  wall time through the test client: {sorted(wall_ms)} ms")
