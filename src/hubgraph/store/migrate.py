"""Applies Alembic migrations programmatically, so no alembic.ini has to ship."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

# The key of the advisory lock migrations hold on PostgreSQL ("hubgraph" in ASCII).
MIGRATION_LOCK_KEY = 0x6875626772617068


_REVISION = re.compile(r'^revision(?:: *str)? *= *"([^"]+)"', re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision[^=]*=(.*)$", re.MULTILINE)


@cache
def head_revision() -> str | None:
    """The newest migration's revision, read from the migration files as text; None when
    they don't name exactly one head (then Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    versions = files("hubgraph.store").joinpath("migrations", "versions")
    for entry in versions.iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("__"):
            continue
        source = entry.read_text(encoding="utf-8")
        found, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if found is None or down is None:
            return None
        revisions.add(found.group(1))
        parents.update(re.findall(r'"([^"]+)"', down.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def is_at_head(engine: Engine) -> bool:
    head = head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            return revision(conn) == head
    except SQLAlchemyError:
        return False  # never migrated: no alembic_version table yet


def upgrade(engine: Engine, revision: str = "head") -> None:
    # A database already at head (every start but the first after an upgrade) needs
    # nothing from Alembic, which costs ~0.4 s of CPU to import: `hubgraph serve` got
    # ready that much sooner (docs/performance.md). Workers never migrate.
    if revision == "head" and is_at_head(engine):
        return
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
