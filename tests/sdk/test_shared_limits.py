"""Rate limits and faults are one set for every worker process, through Redis.

Real ``hubgraph serve`` processes on free ports (one with two workers, one with one),
one SQLite file, one Redis (its own database number and key prefix), and the official
SDK making the calls.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest
import redis
from hubspot import Client
from hubspot.crm.associations.v4 import BatchInputPublicDefaultAssociationMultiPost
from hubspot.crm.associations.v4.exceptions import ApiException

from hubgraph.config import Settings
from hubgraph.services.access import portals, rate_limits
from hubgraph.services.context import Services
from hubgraph.testing import free_port

REDIS_URL = os.environ.get("HUBGRAPH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BURST = 6
HUBGRAPH = str(Path(sys.executable).with_name("hubgraph"))


@dataclass(frozen=True)
class Deployment:
    env: dict[str, str]
    services: Services
    two_workers: str
    one_worker: str


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        client.close()
        reason = f"Redis is not reachable at {REDIS_URL}: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI must run the Redis tests)")
        pytest.skip(reason)
    return client


def _wait_until_up(base_url: str) -> None:
    # Generous: worker processes import everything afresh, and CI machines are busy.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/_hubgraph/health", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"hubgraph serve did not start at {base_url}")


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    client = _redis_or_skip()
    prefix = f"hubgraph-test-{uuid.uuid4().hex[:12]}:"
    database_url = f"sqlite:///{tmp_path / 'hubgraph.db'}"
    env = os.environ | {
        "HUBGRAPH_DATABASE_URL": database_url,
        "HUBGRAPH_REDIS_URL": REDIS_URL,
        "HUBGRAPH_REDIS_KEY_PREFIX": prefix,
    }
    services = Services.from_settings(Settings(database_url=database_url))
    portals.upgrade_database(services)
    portals.create_portal(services, "first")  # so `serve` prints no token of its own
    processes: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    try:
        for workers in (2, 1):
            port = free_port()
            command = [HUBGRAPH, "serve", "--port", str(port), "--workers", str(workers)]
            processes.append(
                subprocess.Popen(
                    command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            _wait_until_up(url)
        yield Deployment(env, services, *urls)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        services.close()
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()


def limited_portal(deployment: Deployment) -> tuple[int, str]:
    """A portal allowed BURST calls per 10 s, and a token for it."""
    portal_id = portals.create_portal(deployment.services, "limited")
    rate_limits.set_tier(
        deployment.services, portal_id, rate_limits.Tier("starter", ten_secondly_max=BURST)
    )
    return portal_id, portals.create_token(deployment.services, portal_id)


def call(base_url: str, token: str) -> tuple[int, str | None]:
    """One SDK call on a new client, so on a new connection (any worker may take it)."""
    sdk = Client.create(access_token=token, host=base_url)
    batch = BatchInputPublicDefaultAssociationMultiPost(inputs=[])
    try:
        _, status, headers = sdk.crm.associations.v4.batch_api.create_default_with_http_info(
            "contacts", "companies", batch
        )
    except ApiException as exc:
        return exc.status, exc.headers.get("X-HubSpot-RateLimit-Remaining")
    return status, headers.get("X-HubSpot-RateLimit-Remaining")


def test_every_worker_and_server_shares_limits_and_faults(deployment: Deployment) -> None:
    # One test, so xdist starts these servers once.
    # 1. The two workers of one server count against one limit.
    _, token = limited_portal(deployment)
    outcomes = [call(deployment.two_workers, token) for _ in range(3 * BURST)]
    statuses = [status for status, _ in outcomes]
    assert statuses.count(200) == BURST
    assert statuses.count(429) == 2 * BURST
    remaining = [left for status, left in outcomes if status == 200]
    assert remaining == [str(n) for n in range(BURST - 1, -1, -1)]

    # 2. Two servers (two machines behind a load balancer, as far as state goes) do too.
    _, token = limited_portal(deployment)
    servers = (deployment.two_workers, deployment.one_worker)
    both = [call(url, token)[0] for url in servers * BURST]
    assert both.count(200) == BURST
    assert both.count(429) == BURST

    # 3. A fault set through one server fires on the other, exactly `count` times.
    portal_id, token = limited_portal(deployment)
    first, second = deployment.one_worker, deployment.two_workers
    fault = {"route": "/crm/v4/*", "portalId": portal_id, "status": 503, "count": 2}
    assert httpx.post(f"{first}/_hubgraph/faults", json=fault).status_code == 201
    assert [call(second, token)[0] for _ in range(3)] == [503, 503, 200]
    cleared = httpx.delete(f"{second}/_hubgraph/faults", params={"portalId": portal_id})
    assert cleared.status_code == 204
    listed = httpx.get(f"{first}/_hubgraph/faults", params={"portalId": portal_id})
    assert listed.json() == {"results": []}
