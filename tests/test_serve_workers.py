"""``hubgraph serve --workers 2``: two processes on one database take concurrent writes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import func, select

from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.store.tables import associations
from hubgraph.testing import ServeProcess
from tests.support.records import named

CLIENTS = 4
REQUESTS_PER_CLIENT = 3
PAIRS_PER_REQUEST = 50


def _create(client: httpx.Client, object_type: str, count: int) -> list[str]:
    inputs = [{"properties": named(object_type, f"{object_type}-{i}")} for i in range(count)]
    response = client.post(f"/crm/v3/objects/{object_type}/batch/create", json={"inputs": inputs})
    assert response.status_code == 201, response.text
    return [r["id"] for r in response.json()["results"]]


def test_two_workers_serve_concurrent_writes_and_stop_cleanly(
    database_url: str, services: Services
) -> None:
    portal_id = portals.create_portal(services, "workers")
    token = portals.create_token(services, portal_id)
    headers = {"Authorization": f"Bearer {token}"}
    with ServeProcess(database_url, workers=2) as server:
        assert len(server.worker_pids()) == 2
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=30) as client:
            contacts = _create(client, "contacts", 100) + _create(client, "contacts", 50)
            companies = _create(client, "companies", 100)

        def associate(n: int) -> list[int]:
            # Each client gets its own connections, so requests reach both workers.
            with httpx.Client(base_url=server.base_url, headers=headers, timeout=30) as own:
                statuses = []
                for r in range(REQUESTS_PER_CLIENT):
                    first = (n * REQUESTS_PER_CLIENT + r) * PAIRS_PER_REQUEST
                    inputs = [
                        {"from": {"id": contacts[i % 150]}, "to": {"id": companies[i // 150]}}
                        for i in range(first, first + PAIRS_PER_REQUEST)
                    ]
                    response = own.post(
                        "/crm/v4/associations/contacts/companies/batch/associate/default",
                        json={"inputs": inputs},
                    )
                    assert "errors" not in response.json(), response.text
                    statuses.append(response.status_code)
                return statuses

        with ThreadPoolExecutor(CLIENTS) as pool:
            statuses = [s for batch in pool.map(associate, range(CLIENTS)) for s in batch]
        returncode = server.stop()

    assert statuses == [200] * CLIENTS * REQUESTS_PER_CLIENT
    assert returncode == 0
    with services.database.read() as conn:
        stored = conn.execute(
            select(func.count()).where(associations.c.portal_id == portal_id)
        ).scalar_one()
    # Every pair is distinct, and stored in both directions.
    assert stored == 2 * CLIENTS * REQUESTS_PER_CLIENT * PAIRS_PER_REQUEST


def test_forked_workers_start_without_warnings(tmp_path: Path) -> None:
    """Forked workers move their metrics to the shared folder (hubgraph.metrics
    ``write_to_shared_folder``) without prometheus_client's warning on every start."""
    log = tmp_path / "serve.log"
    with (
        log.open("wb") as output,
        ServeProcess(f"sqlite:///{tmp_path / 'quiet.db'}", workers=2, output=output) as server,
    ):
        assert len(server.worker_pids()) == 2
        assert httpx.get(f"{server.base_url}/_hubgraph/health", timeout=10).status_code == 200
    text = log.read_text()
    assert "serving HubSpot's API" in text  # the output was captured
    assert "Warning" not in text, text
