"""One cluster for the module's tests: PostgreSQL, pgbouncer, Redis, 3 nodes, HAProxy.

Needs haproxy, pgbouncer and redis-server (scripts/cluster installs them; .ci/run does in
CI) and the local PostgreSQL server. Without them the tests are skipped, except under
CI=true, where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import psycopg
import pytest
from hubspot import Client

from hubgraph.testing.cluster import POSTGRES_ADMIN_URL, Cluster, tools_present

NODES = 3


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run the cluster tests)")
    pytest.skip(reason)


@pytest.fixture(scope="package")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not tools_present():
        _missing("haproxy, pgbouncer or redis-server is not installed (scripts/cluster up does)")
    try:
        psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        _missing(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {exc}")
    state_dir: Path = tmp_path_factory.mktemp("cluster")
    running = Cluster.up(state_dir, nodes=NODES)
    try:
        yield running
    finally:
        running.down()
        shutil.rmtree(state_dir, ignore_errors=True)


@dataclass(frozen=True)
class ClusterPortal:
    id: int
    token: str
    cluster: Cluster

    def sdk(self, host: str | None = None) -> Client:
        """The official SDK, through the balancer unless ``host`` names a node."""
        return Client.create(access_token=self.token, host=host or self.cluster.state.url)


def admin(cluster: Cluster) -> dict[str, str]:
    return {"Authorization": f"Bearer {cluster.state.admin_token}"}


def new_portal(cluster: Cluster) -> ClusterPortal:
    """A portal and its token, from the control plane through the balancer."""
    response = httpx.post(f"{cluster.state.url}/_hubgraph/portals", headers=admin(cluster))
    assert response.status_code == 201, response.text
    body = response.json()
    return ClusterPortal(body["portalId"], body["token"], cluster)


@pytest.fixture
def portal(cluster: Cluster) -> ClusterPortal:
    return new_portal(cluster)


@pytest.fixture
def database(cluster: Cluster) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """PostgreSQL itself (not through pgbouncer), to check what was stored."""
    with psycopg.connect(cluster.state.database_url, autocommit=True) as conn:
        yield conn
