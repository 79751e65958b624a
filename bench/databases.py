"""A fresh database per run: a temporary SQLite file or a new PostgreSQL database."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def fresh_database(kind: str, admin_url: str = POSTGRES_ADMIN_URL) -> Iterator[str]:
    """Yields a SQLAlchemy-style URL; the database is deleted afterwards."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="hubgraph-bench-"))
        try:
            yield f"sqlite:///{folder / 'hubgraph.db'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"hubgraph_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def driver_url(url: str) -> str:
    """What psycopg accepts (no SQLAlchemy driver suffix)."""
    return url.replace("postgresql+psycopg://", "postgresql://")
