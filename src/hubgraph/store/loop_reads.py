"""The hottest PostgreSQL reads awaited on the event loop, on psycopg's async connections.

A read sent to a worker thread pays two thread hops and an event-loop wake-up: 0.15 ms of
a primary-key GET on this project's machine, against 0.03 ms for awaiting the same
statement on an async connection (docs/performance.md). So the single-record reads that
the fast lane serves (a record by id, an association page, the health check) await their
one statement here, as does the default PUT's one idempotent write
(store/default_associations.py); everything else keeps the worker thread and SQLAlchemy.

The pool is a list of idle connections that belongs to one event loop: the app binds it
when its lifespan starts and closes it when it ends, so nothing crosses loops or threads
and no lock is needed. ``psycopg_pool.AsyncConnectionPool`` was measured for the same job
and cost 0.11 ms a checkout and return, as much as the thread hop it was to save.
Outside a bound loop (an app run without its lifespan), ``Services.loop_reads()`` says None
and the caller takes its thread path.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import orjson
import psycopg
from psycopg import pq
from psycopg.types.json import set_json_loads
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from hubgraph.store.engine import Pooler


class LoopReadPool:
    """Autocommitted async connections to the engine's PostgreSQL: for each bound event
    loop, at most ``max_idle`` kept between reads, and at most twice that open at once
    (as the engine's pool: ``pool_size`` plus as many overflow); a read past that waits
    for one to come back, so a burst of requests cannot exhaust the server's
    ``max_connections``."""

    def __init__(self, conninfo: str, connect_args: Mapping[str, Any], max_idle: int) -> None:
        self._conninfo = conninfo
        self._connect_args = dict(connect_args)
        self._max_idle = max_idle
        # Idle connections by the loop they serve: apps that share services (tests, a
        # control plane) each bind their own loop.
        self._idle: dict[asyncio.AbstractEventLoop, list[psycopg.AsyncConnection[Any]]] = {}
        self._open_slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}

    @classmethod
    def for_engine(cls, engine: Engine, pooler: Pooler, max_idle: int) -> LoopReadPool | None:
        """A pool for a PostgreSQL engine, with its connection settings; None for SQLite."""
        if engine.dialect.name != "postgresql":
            return None
        conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        # Not the engine's force_custom_plan (store/engine.py): that is for statements over
        # arrays of ids, whose best plan depends on the values. These read one record by its
        # key, where PostgreSQL's generic plan is the right one for any value, and planning
        # the association page's statement afresh was most of its time (0.43 -> 0.19 ms).
        connect_args = {"prepare_threshold": None} if pooler == "pgbouncer" else {}
        return cls(conninfo, connect_args, max_idle)

    def bind(self) -> None:
        """Serve the running event loop from now on (an app's lifespan start)."""
        loop = asyncio.get_running_loop()
        self._idle.setdefault(loop, [])
        self._open_slots.setdefault(loop, asyncio.Semaphore(2 * self._max_idle))

    async def close(self) -> None:
        """Close this loop's idle connections and stop serving it (the lifespan's end)."""
        loop = asyncio.get_running_loop()
        self._open_slots.pop(loop, None)
        for connection in self._idle.pop(loop, []):
            await connection.close()

    @property
    def idle_connections(self) -> int:
        """How many connections wait between reads, over every bound loop."""
        return sum(len(idle) for idle in self._idle.values())

    def serves_this_loop(self) -> bool:
        try:
            return asyncio.get_running_loop() in self._idle
        except RuntimeError:  # no running loop: called from a worker thread
            return False

    async def fetch_all(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The statement's rows (``%(name)s`` parameters, as store/driver.py writes them),
        on a connection of the running loop, which must be bound. The statement must be
        safe to send twice (a read, or an idempotent write): a dropped idle connection's
        statement is sent once more."""
        async with self._open_slots[asyncio.get_running_loop()]:
            return await self._fetch_all(sql, params)

    async def _fetch_all(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        idle = self._idle[asyncio.get_running_loop()]
        reused = bool(idle)
        connection = idle.pop() if reused else await self._connect()
        try:
            rows = await self._run(connection, sql, params)
        except psycopg.OperationalError as exc:
            await connection.close()
            if not reused:
                raise DBAPIError.instance(sql, None, exc, psycopg.Error) from exc
            # An idle connection the server dropped (a restart, an idle timeout): a read
            # is safe to send once more, on a new connection, as the engine's pings do.
            connection = await self._connect()
            try:
                rows = await self._run(connection, sql, params)
            except psycopg.Error as retry_exc:
                await connection.close()
                raise DBAPIError.instance(sql, None, retry_exc, psycopg.Error) from retry_exc
        except psycopg.Error as exc:
            await self._keep(connection)
            raise DBAPIError.instance(sql, None, exc, psycopg.Error) from exc
        await self._keep(connection)
        return rows

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        try:
            connection = await psycopg.AsyncConnection.connect(
                self._conninfo, autocommit=True, **self._connect_args
            )
        except psycopg.Error as exc:
            raise DBAPIError.instance("connect", None, exc, psycopg.Error) from exc
        set_json_loads(orjson.loads, connection)
        return connection

    @staticmethod
    async def _run(
        connection: psycopg.AsyncConnection[Any], sql: str, params: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        cursor = await connection.execute(sql, params)
        return await cursor.fetchall()

    async def _keep(self, connection: psycopg.AsyncConnection[Any]) -> None:
        """Back to the loop's idle list, unless it is closed, mid-transaction, surplus, or
        its loop stopped being served while the read ran."""
        idle = self._idle.get(asyncio.get_running_loop())
        usable = (
            idle is not None
            and len(idle) < self._max_idle
            and not connection.closed
            and connection.info.transaction_status == pq.TransactionStatus.IDLE
        )
        if usable and idle is not None:
            idle.append(connection)
        else:
            await connection.close()
