"""Whether the server can do its job: the database answers and is migrated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from hubgraph.services.context import Services
from hubgraph.store import driver

if TYPE_CHECKING:
    # psycopg's async pool: PostgreSQL only (a SQLite worker never loads libpq)
    from hubgraph.store.loop_reads import LoopReadPool

# Alembic's own one-row table, which no portal owns (see store.migrate.revision).
_REVISION = driver.statements("SELECT version_num FROM alembic_version")


def database_ready(services: Services) -> bool:
    """One statement on a pooled driver connection (store/driver.py), not through a
    SQLAlchemy transaction.

    Load balancers ask this every few seconds per node; SQLAlchemy's connection, its
    BEGIN and COMMIT were ~70% of the call's CPU (docs/performance.md).
    """
    try:
        found = driver.fetch_all(services.database.engine, _REVISION, {})
    except SQLAlchemyError:
        return False
    return bool(found) and found[0][0] is not None


async def database_ready_on_loop(pool: LoopReadPool) -> bool:
    """``database_ready`` on PostgreSQL, awaited on the event loop (store/loop_reads.py)."""
    try:
        found = await pool.fetch_all(_REVISION["postgresql"], {})
    except SQLAlchemyError:
        return False
    return bool(found) and found[0][0] is not None


def database_backend(services: Services) -> str:
    """``sqlite`` or ``postgresql``."""
    return services.database.engine.dialect.name
