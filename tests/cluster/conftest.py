"""One cluster for the module's tests: PostgreSQL, pgbouncer, Redis, 3 nodes, HAProxy.

Needs haproxy, pgbouncer and redis-server (scripts/cluster installs them; .ci/run does in
CI) and the local PostgreSQL server. Without them the tests are skipped, except under
CI=true, where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from hubgraph.testing.cluster import POSTGRES_ADMIN_URL, Cluster, tools_present
from tests.support.cluster import ClusterPortal, new_portal

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


@pytest.fixture
def portal(cluster: Cluster) -> ClusterPortal:
    return new_portal(cluster)


@pytest.fixture
def database(cluster: Cluster) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """PostgreSQL itself (not through pgbouncer), to check what was stored."""
    with psycopg.connect(cluster.state.database_url, autocommit=True) as conn:
        yield conn
