"""Applies Alembic migrations programmatically, so no alembic.ini has to ship."""

from __future__ import annotations

from importlib.resources import files

from sqlalchemy import Engine


def upgrade(engine: Engine, revision: str = "head") -> None:
    # Imported here: Alembic costs ~0.4 s of CPU to import, and the server's workers, which
    # import this module through the services, never migrate (docs/performance.md).
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("hubgraph.store").joinpath("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
