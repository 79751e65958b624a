"""Opt-in: check every PostgreSQL statement the suite sends for routability by portal.

``HUBGRAPH_CHECK_PORTAL_ROUTING=1 scripts/test`` (or pytest): every statement any engine
sends to PostgreSQL during the run goes through ``portal_routing.check``; the session
fails when one touches a distributed table without one portal value, and lists them
(the report also goes to the file HUBGRAPH_CHECK_PORTAL_ROUTING names, when it is a path).
Statements the tests make themselves (fixtures, raw checks) count too, so a test that
wants a cross-portal query on purpose makes it through psycopg, not SQLAlchemy.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from tests.support.portal_routing import Verdict, check
from tests.support.sql_capture import Capture

_ENV = "HUBGRAPH_CHECK_PORTAL_ROUTING"


class RoutingCheck:
    def __init__(self) -> None:
        self.checked = 0
        self.found: dict[str, Verdict] = {}
        self._capture = Capture()

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if conn.dialect.name != "postgresql":
            return
        self._capture(conn, cursor, statement, *args)
        verdict = check(self._capture.statements.pop())
        self.checked += 1
        if verdict.problem and statement not in self.found:
            self.found[statement] = verdict

    def report(self) -> str:
        lines = [f"portal routing: {self.checked} statements, {len(self.found)} not routable"]
        for verdict in self.found.values():
            lines.append(f"- {verdict.problem}:\n    {' '.join(verdict.statement.sql.split())}")
        return "\n".join(lines)


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get(_ENV):
        routing = RoutingCheck()
        event.listen(Engine, "before_cursor_execute", routing)
        config.stash[_KEY] = routing


_KEY = pytest.StashKey[RoutingCheck]()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    routing = session.config.stash.get(_KEY, None)
    if routing is None:
        return
    report = routing.report()
    target = os.environ[_ENV]
    if target not in ("1", "true"):
        Path(target).write_text(report + "\n")
    if routing.found:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    routing = config.stash.get(_KEY, None)
    if routing is not None:
        terminalreporter.write_line(routing.report())
