"""What the nodes share: rate-limit counters (Redis) and a portal's tier (PostgreSQL).

Each node is called directly here, so every count and every cache is known to be another
node's. A tier change reaches a node that cached the portal's token within the cache's
5 s (docs/deploy.md); the node that made the change sees it at once.
"""

from __future__ import annotations

import time

import httpx2 as httpx
from hubspot.crm.associations.v4 import BatchInputPublicDefaultAssociationMultiPost
from hubspot.crm.associations.v4.exceptions import ApiException

from hubgraph.testing.cluster import Cluster
from tests.support.cluster import ClusterPortal, admin

BURST = 9
PRINCIPAL_CACHE_S = 5.0


def call(portal: ClusterPortal, host: str) -> tuple[int, str | None]:
    """An empty associate/default batch on ``host``: its status and X-HubSpot-RateLimit-Max."""
    api = portal.sdk(host).crm.associations.v4.batch_api
    batch = BatchInputPublicDefaultAssociationMultiPost(inputs=[])
    try:
        _, status, headers = api.create_default_with_http_info("contacts", "companies", batch)
    except ApiException as exc:
        return exc.status, exc.headers.get("X-HubSpot-RateLimit-Max")
    return status, headers.get("X-HubSpot-RateLimit-Max")


def set_tier(cluster: Cluster, host: str, portal_id: int, ten_secondly_max: int) -> None:
    response = httpx.put(
        f"{host}/_hubgraph/portals/{portal_id}/rate-limits",
        json={"tier": "starter", "tenSecondlyMax": ten_secondly_max},
        headers=admin(cluster),
    )
    assert response.status_code == 200, response.text


def test_a_rate_limit_is_counted_once_across_nodes(cluster: Cluster, portal: ClusterPortal) -> None:
    set_tier(cluster, cluster.state.url, portal.id, BURST)
    nodes = [n.url for n in cluster.state.nodes]
    statuses = [call(portal, node)[0] for node in nodes * BURST]
    assert len(statuses) == 3 * BURST
    assert statuses.count(200) == BURST
    assert statuses.count(429) == 2 * BURST
    # Through the balancer as well: the same window is spent.
    assert call(portal, cluster.state.url)[0] == 429


def test_a_tier_change_reaches_every_node_within_the_cache_delay(
    cluster: Cluster, portal: ClusterPortal
) -> None:
    nodes = [n.url for n in cluster.state.nodes]
    # Every node caches the portal's token, with no limits (no tier yet).
    assert [call(portal, node) for node in nodes] == [(200, None)] * len(nodes)
    changed_at = time.monotonic()
    set_tier(cluster, nodes[0], portal.id, 1000)
    seen_after: dict[str, float] = {}
    while len(seen_after) < len(nodes) and time.monotonic() - changed_at < 2 * PRINCIPAL_CACHE_S:
        for node in nodes:
            if node not in seen_after and call(portal, node) == (200, "1000"):
                seen_after[node] = time.monotonic() - changed_at
        time.sleep(0.1)
    assert set(seen_after) == set(nodes), seen_after
    assert seen_after[nodes[0]] < 1.0  # the node that made the change forgot at once
    assert max(seen_after.values()) <= PRINCIPAL_CACHE_S + 1.0, seen_after
