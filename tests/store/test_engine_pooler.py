"""``HUBGRAPH_DATABASE_POOLER=pgbouncer``: no server-side prepared statement, ever.

Behind pgbouncer's transaction pooling the next transaction may run on another server
connection, where a statement prepared by this one does not exist.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from hubgraph.services.context import Services
from hubgraph.store.engine import Pooler, create_engine
from hubgraph.store.tables import portals


@pytest.mark.parametrize(("pooler", "prepared"), [("none", True), ("pgbouncer", False)])
def test_statements_are_prepared_only_without_a_pooler(
    database_url: str, services: Services, pooler: Pooler, prepared: bool
) -> None:
    # ``services``: the database is migrated (the portals table exists).
    if not database_url.startswith("postgresql"):
        pytest.skip("prepared statements are PostgreSQL's")
    engine = create_engine(database_url, pooler=pooler)
    try:
        with engine.connect() as conn:
            for _ in range(10):  # psycopg prepares after 5 runs by default
                conn.execute(select(portals.c.id).where(portals.c.id == 1)).all()
            count = conn.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()
    finally:
        engine.dispose()
    assert (count > 0) is prepared
