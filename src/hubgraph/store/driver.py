"""One statement on a pooled driver connection, for the hottest reads.

Going through a SQLAlchemy ``Connection`` costs a transaction (BEGIN, COMMIT) and a
statement's compile-cache lookup, result wrapping and events per call: 70 µs of CPU for a
GET by id on SQLite, seven times the statement itself (docs/performance.md). A single
read needs none of it: each statement sees one snapshot, and the pool rolls the
connection back when it returns. Statements are written with ``:name`` parameters and
given to each driver in its own style.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

_NAMED = re.compile(r"(?<![:\w]):(\w+)")


def psycopg_style(sql: str) -> str:
    """``:name`` parameters as psycopg takes them, ``%(name)s`` (and a literal ``%`` doubled)."""
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


def statements(sql: str) -> dict[str, str]:
    """``sql`` for each dialect: sqlite3 takes ``:name`` as written."""
    return {"sqlite": sql, "postgresql": psycopg_style(sql)}


def fetch_all(
    engine: Engine, by_dialect: Mapping[str, str], params: Mapping[str, Any]
) -> list[tuple[Any, ...]]:
    """The statement's rows, as the driver's tuples."""
    statement = by_dialect[engine.dialect.name]
    connection = engine.raw_connection()
    try:
        if engine.dialect.name == "postgresql":
            # No BEGIN before the statement, no ROLLBACK after it: one round trip.
            connection.driver_connection.autocommit = True  # type: ignore[union-attr]
        cursor = connection.cursor()
        try:
            cursor.execute(statement, params)
            return list(cursor.fetchall())
        finally:
            cursor.close()
    except engine.dialect.loaded_dbapi.Error as exc:
        # the driver's own error, past SQLAlchemy: raised as an execute would have
        raise DBAPIError.instance(statement, None, exc, engine.dialect.loaded_dbapi.Error) from exc
    finally:
        raw = connection.driver_connection
        if engine.dialect.name == "postgresql" and raw is not None and not raw.closed:
            raw.autocommit = False  # as the pool's other users expect it
        connection.close()
