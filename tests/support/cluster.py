"""A portal of a running cluster (``hubgraph.testing.cluster``), and the admin header."""

from __future__ import annotations

from dataclasses import dataclass

import httpx2 as httpx
from hubspot import Client

from hubgraph.testing.cluster import Cluster


@dataclass(frozen=True)
class ClusterPortal:
    id: int
    token: str
    cluster: Cluster

    def sdk(self, host: str | None = None) -> Client:
        """The official SDK, through the balancer unless ``host`` names a node."""
        return Client.create(access_token=self.token, host=host or self.cluster.state.url)


def admin(cluster: Cluster) -> dict[str, str]:
    """The control plane's bearer header: behind HAProxy the token is what lets us in."""
    return {"Authorization": f"Bearer {cluster.state.admin_token}"}


def new_portal(cluster: Cluster) -> ClusterPortal:
    """A portal and its token, from the control plane through the balancer."""
    response = httpx.post(f"{cluster.state.url}/_hubgraph/portals", headers=admin(cluster))
    assert response.status_code == 201, response.text
    body = response.json()
    return ClusterPortal(body["portalId"], body["token"], cluster)
