"""Whether the server can do its job: the database answers and is migrated."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from hubgraph.services.context import Services
from hubgraph.store.tables import portals


def database_ready(services: Services) -> bool:
    try:
        with services.database.read() as conn:
            conn.execute(select(portals.c.id).limit(1))
    except SQLAlchemyError:
        return False
    return True


def database_backend(services: Services) -> str:
    """``sqlite`` or ``postgresql``."""
    return services.database.engine.dialect.name
