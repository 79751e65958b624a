"""A real server on a free port (per database), portals that talk to it, and row dumps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.testing import ServerThread
from tests.support.live import LivePortal, make_live_portal
from tests.support.portals import postgres_database as _postgres_database


@pytest.fixture(scope="session")
def live_server(settings: Settings, services: Services) -> Iterator[ServerThread]:
    with ServerThread(create_app(settings, services)) as running:
        yield running


@pytest.fixture
def live_portal(services: Services, live_server: ServerThread) -> LivePortal:
    return make_live_portal(services, live_server.base_url)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own (a temp SQLite file, or a new PostgreSQL database)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hubgraph.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def fresh_services(fresh_database_url: str) -> Iterator[Services]:
    """Services on the fresh database, migrated; closed before the database goes."""
    services = Services.from_settings(Settings(database_url=fresh_database_url))
    portals.upgrade_database(services)
    yield services
    services.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Per fuzzed operation: calls, 2xx answers and 2xx answers with data (issue 12: success
    bodies get checked). A positive run without a 2xx fails its own test."""
    rows: dict[str, list[int]] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", []):
                if name == "fuzz" and getattr(report, "when", "") == "teardown":
                    label, _mode, calls, ok, data = value
                    row = rows.setdefault(label, [0, 0, 0])
                    row[0] += calls
                    row[1] += ok
                    row[2] += data
    if not rows:
        return
    terminalreporter.section("contract fuzzing: answers per operation (2xx / with data / calls)")
    for label, (calls, ok, data) in sorted(rows.items()):
        terminalreporter.write_line(f"{ok:5d} {data:5d} {calls:5d}  {label}")
    never = sum(1 for _calls, ok, _data in rows.values() if ok == 0)
    terminalreporter.write_line(f"{len(rows) - never} of {len(rows)} operations got a 2xx")
