"""Open the services a command or a test server needs, or say in one line what is wrong.

A missing PostgreSQL database, a server that does not answer, an SQLite file that
cannot be created or an unreachable Redis become a ``StartupError`` whose message names
the thing and the fix (``createdb …``); the CLI and the pytest plugin print only that,
and the traceback only when asked (``--debug``, ``pytest --full-trace``).
"""

from __future__ import annotations

import sqlite3
import sys
from typing import TYPE_CHECKING

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from hubgraph.config import Settings
from hubgraph.services.access import portals
from hubgraph.services.context import Services

if TYPE_CHECKING:
    import psycopg


class StartupError(RuntimeError):
    """What is wrong and how to fix it, in one line."""


def open_services(settings: Settings) -> Services:
    """Services with a migrated database and, when configured, a Redis that answers."""
    try:
        services = Services.from_settings(settings)
    except ArgumentError as exc:
        raise StartupError(
            f"{settings.database_url!r} is not a database URL: use sqlite:///PATH or "
            "postgresql://USER@HOST:PORT/DB"
        ) from exc
    try:
        portals.upgrade_database(services)
        if services.shared.client is not None:
            services.shared.client.ping()
    except Exception as exc:
        services.close()
        message = explain(exc, settings)
        if message is None:
            raise
        raise StartupError(message) from exc
    return services


def explain(exc: BaseException, settings: Settings) -> str | None:
    """One line for a failure to reach the database or Redis; None for anything else."""
    # Only a configured Redis can fail here, and then redis is imported already.
    redis = sys.modules.get("redis")
    if redis is not None and isinstance(exc, redis.exceptions.ConnectionError):
        where = _redis_address(settings.redis_url or "")
        return (
            f"cannot reach Redis at {where} ({_first_line(exc)}): start it (redis-server), "
            "or unset HUBGRAPH_REDIS_URL to keep rate limits and faults in memory"
        )
    cause = exc.orig if isinstance(exc, DBAPIError) else exc
    url = make_url(settings.database_url)
    # Likewise psycopg: imported only once a PostgreSQL URL was used. Not here, so that
    # SQLite processes (every `serve` worker imports the CLI) never load libpq (~25 MB).
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None and isinstance(cause, psycopg.OperationalError):
        return _explain_postgresql(cause, url)
    if isinstance(cause, sqlite3.OperationalError) and "unable to open" in str(cause):
        return (
            f"cannot open the SQLite database {url.database}: create its folder, or choose "
            "another file with --database sqlite:///PATH"
        )
    return None


def _explain_postgresql(cause: psycopg.OperationalError, url: URL) -> str:
    host, port = url.host or "localhost", url.port or 5432
    reason = _first_line(cause)
    if "does not exist" in reason and url.database and f'"{url.database}"' in reason:
        user = f" -U {url.username}" if url.username else ""
        return (
            f'PostgreSQL at {host}:{port} has no database "{url.database}": create it with '
            f"createdb -h {host} -p {port}{user} {url.database}"
        )
    return (
        f"cannot reach PostgreSQL at {host}:{port} ({reason}): start it, or point "
        "--database / HUBGRAPH_DATABASE_URL at one that runs"
    )


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    # psycopg puts "connection failed: …" first and the server's FATAL line after it.
    fatal = [line for line in lines if "FATAL" in line]
    return (fatal or lines or [type(exc).__name__])[0]


def _redis_address(redis_url: str) -> str:
    try:
        parsed = make_url(redis_url)
    except ArgumentError:
        return "HUBGRAPH_REDIS_URL"
    return f"{parsed.host or 'localhost'}:{parsed.port or 6379}"
