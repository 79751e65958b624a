"""Whether the server can do its job: the database answers and is migrated."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from hubgraph.services.context import Services

# Alembic's own one-row table, which no portal owns (see store.migrate.revision).
_REVISION_SQL = "SELECT version_num FROM alembic_version"


def database_ready(services: Services) -> bool:
    """One statement on a pooled driver connection, not through a SQLAlchemy transaction.

    Load balancers ask this every few seconds per node; SQLAlchemy's connection, its
    BEGIN and COMMIT were ~70% of the call's CPU (docs/performance.md). The connection
    goes back to the pool rolled back, as any other.
    """
    engine = services.database.engine
    try:
        connection = engine.raw_connection()
    except SQLAlchemyError:
        return False
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(_REVISION_SQL)
            row = cursor.fetchone()
        finally:
            cursor.close()
    except engine.dialect.loaded_dbapi.Error:
        return False
    finally:
        connection.close()
    return row is not None and row[0] is not None


def database_backend(services: Services) -> str:
    """``sqlite`` or ``postgresql``."""
    return services.database.engine.dialect.name
