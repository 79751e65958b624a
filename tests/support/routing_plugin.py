"""Opt-in: check every PostgreSQL statement the suite sends for routability by portal.

``HUBGRAPH_CHECK_PORTAL_ROUTING=1 scripts/test`` (or pytest): every statement any engine
sends to PostgreSQL during the run goes through ``portal_routing.check``; the session
fails when one touches a distributed table without one portal value, and lists them
(the report also goes to the file HUBGRAPH_CHECK_PORTAL_ROUTING names, when it is a path).
Statements a test sends itself (say, reading every table to look for a secret) are
left out: the property is the application's. They are counted in the report.
"""

from __future__ import annotations

import os
import traceback
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
        self.by_tests = 0
        self.found: dict[str, Verdict] = {}
        self._capture = Capture()

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if conn.dialect.name != "postgresql":
            return
        if _issued_by_a_test():
            self.by_tests += 1
            return
        self._capture(conn, cursor, statement, *args)
        verdict = check(self._capture.statements.pop())
        self.checked += 1
        if verdict.problem and statement not in self.found:
            self.found[statement] = verdict

    def report(self) -> str:
        lines = [
            f"portal routing: {self.checked} statements, {len(self.found)} not routable "
            f"({self.by_tests} sent by tests themselves, not checked)"
        ]
        for verdict in self.found.values():
            lines.append(f"- {verdict.problem}:\n    {' '.join(verdict.statement.sql.split())}")
        return "\n".join(lines)


def _issued_by_a_test() -> bool:
    """Whether the code that called SQLAlchemy is a test's rather than hubgraph's."""
    for frame in reversed(traceback.extract_stack()):
        name = frame.filename
        if "/sqlalchemy/" in name or "/tests/support/" in name or name.startswith("<"):
            continue
        return "/tests/" in name
    return False


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
