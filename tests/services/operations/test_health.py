"""The health check: ready once the database answers and is migrated, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubgraph.config import Settings
from hubgraph.services.context import Services
from hubgraph.services.operations import health
from tests.support.portals import postgres_database


def test_a_migrated_database_is_ready(services: Services) -> None:
    assert health.database_ready(services)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_database_never_migrated_is_not(kind: str, tmp_path: Path) -> None:
    urls = iter([f"sqlite:///{tmp_path / 'empty.db'}"]) if kind == "sqlite" else postgres_database()
    for url in urls:
        services = Services.from_settings(Settings(database_url=url))
        try:
            assert not health.database_ready(services)
        finally:
            services.close()
