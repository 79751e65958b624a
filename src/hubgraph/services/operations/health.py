"""Whether the server can do its job: the database answers and is migrated."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from hubgraph.services.context import Services
from hubgraph.store import migrate


def database_ready(services: Services) -> bool:
    try:
        with services.database.read() as conn:
            return migrate.revision(conn) is not None
    except SQLAlchemyError:
        return False


def database_backend(services: Services) -> str:
    """``sqlite`` or ``postgresql``."""
    return services.database.engine.dialect.name
