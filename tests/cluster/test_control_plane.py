"""The control plane through the balancer, with the admin token, from several clients at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx

from hubgraph.testing.cluster import Cluster
from tests.support.cluster import admin

CLIENTS = 8


def test_portals_made_at_once_on_several_nodes_get_distinct_ids(cluster: Cluster) -> None:
    def make(_: int) -> tuple[int, int | None]:
        with httpx.Client(base_url=cluster.state.url, headers=admin(cluster)) as http:
            response = http.post("/_hubgraph/portals")
            return response.status_code, response.json().get("portalId")

    with ThreadPoolExecutor(CLIENTS) as pool:
        made = list(pool.map(make, range(3 * CLIENTS)))
    assert [status for status, _ in made] == [201] * 3 * CLIENTS
    assert len({portal_id for _, portal_id in made}) == 3 * CLIENTS


def test_the_control_plane_refuses_a_caller_without_the_admin_token(cluster: Cluster) -> None:
    # Behind HAProxy every caller reaches a node from 127.0.0.1: only the token tells them apart.
    response = httpx.post(f"{cluster.state.url}/_hubgraph/portals")
    assert response.status_code == 401
    assert response.json()["category"] == "INVALID_AUTHENTICATION"
    wrong = httpx.post(
        f"{cluster.state.url}/_hubgraph/portals", headers={"Authorization": "Bearer wrong"}
    )
    assert wrong.status_code == 401
