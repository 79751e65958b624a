"""One cluster for the module's tests: PostgreSQL, pgbouncer, Redis, 3 nodes, HAProxy.

Needs haproxy, pgbouncer and redis-server (scripts/cluster installs them; .ci/run does in
CI) and the local PostgreSQL server. Without them the tests are skipped, except under
CI=true, where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


def scripts_cluster(state_dir: Path, *args: str) -> str:
    """``scripts/cluster`` (the module it runs) in a process of its own; its stdout."""
    command = [sys.executable, "-m", "hubgraph.testing.cluster", "--state-dir", str(state_dir)]
    done = subprocess.run([*command, *args], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="package")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Started as ``scripts/cluster up`` does, in a process that exits (what it starts
    outlives it); stopped by ``scripts/cluster down``, which must leave nothing behind."""
    if not tools_present():
        _missing("haproxy, pgbouncer or redis-server is not installed (scripts/cluster up does)")
    try:
        psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        _missing(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {exc}")
    state_dir: Path = tmp_path_factory.mktemp("cluster")
    printed = scripts_cluster(state_dir, "up", "--nodes", str(NODES))
    running = Cluster.attach(state_dir)
    try:
        assert printed.splitlines() == [f"{k}={v}" for k, v in running.environment().items()]
        yield running
    finally:
        started = [*running.state.services, *(n.process for n in running.state.nodes if n.process)]
        scripts_cluster(state_dir, "down")
        running.wait_children()  # the nodes this process restarted
        assert not [s.name for s in started if s.alive()]
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            name = running.state.database_url.rsplit("/", 1)[1]
            found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            assert found.fetchone() is None, "scripts/cluster down left its database"
        shutil.rmtree(state_dir, ignore_errors=True)


@pytest.fixture
def portal(cluster: Cluster) -> ClusterPortal:
    return new_portal(cluster)


@pytest.fixture
def database(cluster: Cluster) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """PostgreSQL itself (not through pgbouncer), to check what was stored."""
    with psycopg.connect(cluster.state.database_url, autocommit=True) as conn:
        yield conn
