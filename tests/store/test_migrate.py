"""Migrations when several servers start at once on one PostgreSQL database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hubgraph.store import migrate
from hubgraph.store.engine import create_engine
from tests.support.portals import postgres_database

SERVERS = 3
HUBGRAPH = str(Path(sys.executable).with_name("hubgraph"))


def test_servers_migrating_one_new_database_at_once_take_turns() -> None:
    # Each process as a server starting: `hubgraph db upgrade` migrates as `serve` does.
    # Without the advisory lock the later CREATE TABLEs fail: "already exists".
    for url in postgres_database():
        command = [HUBGRAPH, "db", "upgrade", "--database", url]
        servers = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for _ in range(SERVERS)
        ]
        outputs = [server.communicate(timeout=120)[0] for server in servers]
        assert [s.returncode for s in servers] == [0] * SERVERS, outputs[-1][-2000:]
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                assert migrate.revision(conn) is not None
        finally:
            engine.dispose()


def test_a_database_never_migrated_has_no_revision(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        with engine.connect() as conn, pytest.raises(Exception, match="alembic_version"):
            migrate.revision(conn)
    finally:
        engine.dispose()


def test_the_head_read_from_the_migration_files_is_alembics_head() -> None:
    # serve skips Alembic when the database is at head_revision(): a wrong head would
    # leave a database unmigrated, so it must agree with Alembic's own script directory.
    from importlib.resources import files

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(files("hubgraph.store").joinpath("migrations")))
    assert migrate.head_revision() == ScriptDirectory.from_config(config).get_current_head()
