"""PostgreSQL reads awaited on the event loop (store/loop_reads.py): only on a loop the app
bound, connections kept between reads, a connection the server dropped replaced unseen,
errors raised as SQLAlchemy raises them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import DBAPIError

from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.services.context import Services
from hubgraph.store.engine import create_engine
from hubgraph.store.loop_reads import LoopReadPool
from tests.support.portals import LOCAL, LOOPBACK, Portal

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PID = "SELECT pg_backend_pid()"


@pytest.fixture
def pool(database_url: str) -> Iterator[LoopReadPool]:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's reads run inline on the loop already; this pool is PostgreSQL's")
    engine = create_engine(database_url)
    made = LoopReadPool.for_engine(engine, "none", max_idle=2)
    assert made is not None
    yield made
    engine.dispose()


def test_sqlite_has_no_pool() -> None:
    engine = create_engine("sqlite://")
    assert LoopReadPool.for_engine(engine, "none", max_idle=2) is None


def test_reads_reuse_a_connection_of_the_bound_loop(pool: LoopReadPool) -> None:
    async def scenario() -> tuple[bool, bool, list[int], int, bool]:
        before = pool.serves_this_loop()
        pool.bind()
        bound = pool.serves_this_loop()
        pids = [(await pool.fetch_all(PID, {}))[0][0] for _ in range(3)]
        kept = pool.idle_connections
        await pool.close()
        return before, bound, pids, kept, pool.serves_this_loop()

    before, bound, pids, kept, after_close = asyncio.run(scenario())
    assert (before, bound, after_close) == (False, True, False)
    assert len(set(pids)) == 1
    assert kept == 1
    assert pool.idle_connections == 0


def test_parameters_and_json_come_back_as_the_sync_driver_gives_them(pool: LoopReadPool) -> None:
    async def scenario() -> list[tuple[object, ...]]:
        pool.bind()
        try:
            return await pool.fetch_all(
                "SELECT %(n)s::bigint + 1, CAST(%(doc)s AS jsonb)", {"n": 41, "doc": '{"a": [1]}'}
            )
        finally:
            await pool.close()

    assert asyncio.run(scenario()) == [(42, {"a": [1]})]


def test_a_connection_the_server_dropped_is_replaced_unseen(pool: LoopReadPool) -> None:
    async def scenario() -> tuple[int, int]:
        pool.bind()
        try:
            first = (await pool.fetch_all(PID, {}))[0][0]
            with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (first,))
            await asyncio.sleep(0.05)
            second = (await pool.fetch_all(PID, {}))[0][0]
            return first, second
        finally:
            await pool.close()

    first, second = asyncio.run(scenario())
    assert first != second


def test_a_statement_error_is_raised_as_sqlalchemy_would_and_the_pool_goes_on(
    pool: LoopReadPool,
) -> None:
    async def scenario() -> list[tuple[object, ...]]:
        pool.bind()
        try:
            with pytest.raises(DBAPIError):
                await pool.fetch_all("SELECT * FROM nowhere", {})
            return await pool.fetch_all("SELECT 1", {})
        finally:
            await pool.close()

    assert asyncio.run(scenario()) == [(1,)]


def test_each_bound_loop_keeps_its_own_connections(pool: LoopReadPool) -> None:
    async def on_a_loop() -> tuple[int, bool]:
        pool.bind()
        pid = (await pool.fetch_all(PID, {}))[0][0]
        return pid, pool.serves_this_loop()

    async def then_close() -> None:
        await pool.close()

    first_loop, second_loop = asyncio.new_event_loop(), asyncio.new_event_loop()
    try:
        first_pid, _ = first_loop.run_until_complete(on_a_loop())
        second_pid, _ = second_loop.run_until_complete(on_a_loop())
        assert first_pid != second_pid
        assert pool.idle_connections == 2
        first_loop.run_until_complete(then_close())
        assert pool.idle_connections == 1
        second_loop.run_until_complete(then_close())
        assert pool.idle_connections == 0
    finally:
        first_loop.close()
        second_loop.close()


def test_the_app_binds_its_loop_for_its_lifespan(
    database_url: str, services: Services, settings: Settings, portal: Portal
) -> None:
    """Under ``with TestClient(app)`` (the lifespan runs), a GET by id awaits its read on
    the loop; an app called without its lifespan answers the same from a worker thread."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    pool = services.database.loop_reads
    assert pool is not None
    assert services.loop_reads() is None  # no loop runs here
    created = portal.client.post(
        "/crm/v3/objects/contacts",
        json={"properties": {"email": "loop@reads.example"}},
        headers=portal.headers,
    )
    assert created.status_code == 201
    path = f"/crm/v3/objects/contacts/{created.json()['id']}"
    on_the_loop = portal.client.get(path, headers=portal.headers)
    assert on_the_loop.status_code == 200
    assert pool.idle_connections >= 1  # the session client's loop is bound
    no_lifespan = TestClient(create_app(settings, services), client=LOOPBACK, base_url=LOCAL)
    on_a_thread = no_lifespan.get(path, headers=portal.headers)
    assert on_a_thread.status_code == 200
    assert on_a_thread.json() == on_the_loop.json()


def test_a_burst_of_reads_opens_no_more_than_twice_the_idle_connections(
    pool: LoopReadPool,
) -> None:
    """max_idle=2: during a burst of 12 reads at most 4 run at once, each on a connection of
    its own (the engine's pool size plus its overflow), not 12: a server's max_connections
    caps them."""
    named = LoopReadPool(pool._conninfo, {"application_name": "hubgraph-burst"}, max_idle=2)
    open_now = (
        "SELECT count(*), pg_sleep(0.02) FROM pg_stat_activity "
        "WHERE application_name = 'hubgraph-burst' AND state = 'active'"
    )

    async def scenario() -> list[int]:
        named.bind()
        try:
            answers = await asyncio.gather(*(named.fetch_all(open_now, {}) for _ in range(12)))
        finally:
            await named.close()
        return [rows[0][0] for rows in answers]

    seen = asyncio.run(scenario())
    assert 2 <= max(seen) <= 4  # reads did run side by side, but no more than 4
