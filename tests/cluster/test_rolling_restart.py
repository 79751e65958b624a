"""SIGTERM drains a node's in-flight requests, and a rolling restart fails no client.

The restart is ``Cluster.restart_node``: HAProxy's ``set server … state maint`` first (no
new requests), then SIGTERM once the node's requests are done, then ``state ready`` once
it is healthy again (docs/deploy.md, "Rolling restarts").
"""

from __future__ import annotations

import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2 as httpx
import psycopg
from hubspot.crm.objects import (
    BatchInputSimplePublicObjectBatchInputForCreate,
    SimplePublicObjectBatchInputForCreate,
)

from hubgraph.testing.cluster import Cluster
from tests.support.cluster import ClusterPortal, admin

SLOW_MS = 1500


def create(portal: ClusterPortal, host: str | None, names: list[str]) -> int:
    batch = BatchInputSimplePublicObjectBatchInputForCreate(
        inputs=[SimplePublicObjectBatchInputForCreate(properties={"firstname": n}) for n in names]
    )
    _, status, _ = portal.sdk(host).crm.objects.batch_api.create_with_http_info("contacts", batch)
    return int(status)


def stored(database: psycopg.Connection[tuple[Any, ...]], portal_id: int, prefix: str) -> int:
    row = database.execute(
        "SELECT count(*) FROM objects WHERE portal_id = %s AND properties->>'firstname' LIKE %s",
        (portal_id, f"{prefix}%"),
    ).fetchone()
    assert row is not None
    return int(row[0])


def test_sigterm_lets_a_node_finish_its_requests(
    cluster: Cluster, portal: ClusterPortal, database: psycopg.Connection[tuple[Any, ...]]
) -> None:
    # Every batch create of this portal waits 1.5 s before it runs (a fault, shared by Redis).
    fault = {"route": "/crm/v3/objects/*/batch/create", "portalId": portal.id}
    fault |= {"latencyMs": SLOW_MS, "count": 4}
    response = httpx.post(
        f"{cluster.state.url}/_hubgraph/faults", json=fault, headers=admin(cluster)
    )
    assert response.status_code == 201, response.text
    last = len(cluster.state.nodes) - 1
    node = cluster.state.nodes[last].url
    with ThreadPoolExecutor(4) as pool:
        pending = [
            pool.submit(create, portal, node, [f"drain{i}-{k}" for k in range(5)]) for i in range(4)
        ]
        time.sleep(SLOW_MS / 3000)  # the four are inside the node, waiting
        signalled = time.monotonic()
        cluster.kill_node(last, signal.SIGTERM)
        time.sleep(0.2)
        # It takes no new connection, but finishes the ones it has.
        try:
            refused = httpx.get(f"{node}/_hubgraph/health", timeout=2).status_code != 200
        except httpx.TransportError:
            refused = True
        assert refused
        assert [f.result(timeout=30) for f in pending] == [201] * 4
    cluster.wait_exited(last)
    assert time.monotonic() - signalled < 10
    assert stored(database, portal.id, "drain") == 20
    cluster.start_node(last)
    cluster.wait_balanced()


def test_a_rolling_restart_fails_no_client(
    cluster: Cluster, portal: ClusterPortal, database: psycopg.Connection[tuple[Any, ...]]
) -> None:
    stop = threading.Event()
    outcomes: list[int | str] = []

    def client(w: int) -> None:
        n = 0
        while not stop.is_set():
            try:
                outcomes.append(create(portal, None, [f"roll{w}-{n}-{k}" for k in range(5)]))
            except Exception as exc:  # the SDK's ApiException, or a transport error
                outcomes.append(repr(exc)[:200])
            n += 1

    threads = [threading.Thread(target=client, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    try:
        # One node's step of a rolling restart (each node's is the same; the suite's time
        # is short): out of the balancer, SIGTERM, start, back in.
        cluster.restart_node(0)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    failures = [o for o in outcomes if o != 201]
    assert not failures
    assert len(outcomes) > 20
    assert stored(database, portal.id, "roll") == 5 * len(outcomes)
