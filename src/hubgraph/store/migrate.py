"""Applies Alembic migrations programmatically, so no alembic.ini has to ship."""

from __future__ import annotations

from importlib.resources import files

from sqlalchemy import Connection, Engine, text

# The key of the advisory lock migrations hold on PostgreSQL ("hubgraph" in ASCII).
MIGRATION_LOCK_KEY = 0x6875626772617068


def upgrade(engine: Engine, revision: str = "head") -> None:
    # Imported here: Alembic costs ~0.4 s of CPU to import, and the server's workers, which
    # import this module through the services, never migrate (docs/performance.md).
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("hubgraph.store").joinpath("migrations")))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Nodes started together, or during a rolling upgrade, migrate one at a time:
            # the others wait here, then find the schema at head and do nothing. A
            # transaction-level lock, so it also holds through pgbouncer's transaction
            # pooling (a session-level one could be released on another server connection).
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def revision(conn: Connection) -> str | None:
    """The schema's Alembic revision; raises when the database was never migrated.

    Reads Alembic's own one-row table, which no portal owns: the health check runs it every
    half second per node, and on a database sharded by portal it stays on one node.
    """
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
