"""PostgreSQL connections are pinged when they come out of the pool after sitting idle,
not on every checkout (store/engine.py ``_ping_after_idle``): a server connection that went
away while idle is replaced unseen; one that went away just after use fails its next
statement once, and the pool starts afresh."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from hubgraph.services.context import Services
from hubgraph.store import engine as engine_module
from hubgraph.store.engine import create_engine
from hubgraph.store.objects import live_object

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def engine(database_url: str, services: Services) -> Iterator[Engine]:
    # ``services``: the database is migrated (the objects table exists).
    if not database_url.startswith("postgresql"):
        pytest.skip("the pool and its pings are PostgreSQL's; SQLite has no server to lose")
    made = create_engine(database_url, pool_size=2)
    yield made
    made.dispose()


def _server_pids(engine: Engine) -> set[int]:
    with engine.connect() as conn:
        return {int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())}


def _terminate(pids: set[int]) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_an_idle_connection_lost_on_the_server_is_replaced_unseen(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)  # every checkout
    before = _server_pids(engine)
    _terminate(before)
    after = _server_pids(engine)  # pinged, found dead, replaced: no error
    assert after
    assert after.isdisjoint(before)
    assert live_object(engine, 1, "0-1", 1) is None  # the one-statement read works too


def test_a_just_used_connection_lost_fails_once_then_the_pool_recovers(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 3600.0)  # never pinged
    _terminate(_server_pids(engine))
    with pytest.raises(DBAPIError) as lost:
        _server_pids(engine)
    assert lost.value.connection_invalidated
    assert _server_pids(engine)  # a fresh connection
