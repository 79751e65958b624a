"""Every SQL statement SQLAlchemy sends to a database, with its parameters."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event


@dataclass(frozen=True)
class Statement:
    sql: str
    # One mapping per row for executemany, else one; {} for positional parameters.
    rows: tuple[dict[str, Any], ...]


class Capture:
    def __init__(self) -> None:
        self.statements: list[Statement] = []

    def __call__(
        self,
        conn: Any,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        if isinstance(parameters, dict):
            rows: tuple[dict[str, Any], ...] = (parameters,)
        elif executemany and parameters and isinstance(parameters[0], dict):
            rows = tuple(parameters)
        else:
            rows = ({},)
        self.statements.append(Statement(statement, rows))


@contextmanager
def captured(engine: type[Engine] | Engine = Engine) -> Iterator[Capture]:
    """Statements sent through ``engine`` (default: every engine) while the block runs."""
    capture = Capture()
    event.listen(engine, "before_cursor_execute", capture)
    try:
        yield capture
    finally:
        event.remove(engine, "before_cursor_execute", capture)
