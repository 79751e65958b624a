"""One statement on a pooled driver connection (store/driver.py), on both databases, and the
live-record read built on it (store/objects.live_object)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from hubgraph.services.context import Services
from hubgraph.store import driver
from hubgraph.store.engine import create_engine
from hubgraph.store.objects import insert_objects, live_object
from tests.support.portals import Portal


def test_named_parameters_and_literal_percent_signs_reach_each_driver(services: Services) -> None:
    sql = driver.statements("SELECT :a + 1, 'x%' WHERE :b LIKE 'ab%'")
    engine = services.database.engine
    assert driver.fetch_all(engine, sql, {"a": 41, "b": "abc"}) == [(42, "x%")]
    assert driver.fetch_all(engine, sql, {"a": 41, "b": "zzz"}) == []


def test_binary_rows_are_the_same_python_values(services: Services) -> None:
    sql = driver.statements(
        "SELECT CAST(:big AS BIGINT), CAST(2 AS SMALLINT), CAST(279 AS INTEGER), "
        "CAST(:label AS TEXT), CAST(NULL AS TEXT)"
    )
    engine = services.database.engine
    params = {"big": 9_223_372_036_854_775_807, "label": 'Bill "ing" ü'}
    expected = [(9_223_372_036_854_775_807, 2, 279, 'Bill "ing" ü', None)]
    assert driver.fetch_all(engine, sql, params) == expected
    assert driver.fetch_all(engine, sql, params, binary=True) == expected
    # the connection goes back to the pool as the text reads expect it
    assert driver.fetch_all(engine, driver.statements("SELECT 'x'"), {}) == [("x",)]


def test_a_driver_error_is_raised_as_sqlalchemy_would(services: Services) -> None:
    with pytest.raises(DBAPIError):
        driver.fetch_all(services.database.engine, driver.statements("SELECT * FROM nowhere"), {})
    # the connection went back to the pool usable
    assert driver.fetch_all(services.database.engine, driver.statements("SELECT 1"), {}) == [(1,)]


def test_live_object_reads_live_records_only(portal: Portal, services: Services) -> None:
    with services.database.write() as conn:
        insert_objects(conn, portal.id, "0-1", [(901, {"email": "a@b.co", "n": None})], 1_000)
    row = live_object(services.database.engine, portal.id, "0-1", 901)
    assert row is not None
    assert (row.id, row.properties, row.created_at, row.archived_at) == (
        901,
        {"email": "a@b.co", "n": None},
        1_000,
        None,
    )
    assert live_object(services.database.engine, portal.id, "0-2", 901) is None
    assert live_object(services.database.engine, portal.id + 1_000_000, "0-1", 901) is None
    archived = portal.client.delete("/crm/v3/objects/contacts/901", headers=portal.headers)
    assert archived.status_code == 204
    assert live_object(services.database.engine, portal.id, "0-1", 901) is None


def test_sqlite_reads_see_each_commit_at_once_from_every_thread(
    database_url: str, services: Services
) -> None:
    """SQLite's reads run on a connection per thread, kept out of the pool: each statement
    still sees what was committed just before it, on any thread."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's reads use the pool")
    engine = services.database.engine
    sql = driver.statements("SELECT count(*) FROM objects WHERE object_type_id = 'p-test'")
    before = driver.fetch_all(engine, sql, {})[0][0]
    with services.database.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO objects (portal_id, object_type_id, id, properties, created_at, "
            "updated_at) VALUES (1, 'p-test', 1, '{}', 0, 0)"
        )
    assert driver.fetch_all(engine, sql, {})[0][0] == before + 1
    seen: list[int] = []
    worker = threading.Thread(target=lambda: seen.append(driver.fetch_all(engine, sql, {})[0][0]))
    worker.start()
    worker.join()
    assert seen == [before + 1]
    with services.database.write() as conn:
        conn.exec_driver_sql("DELETE FROM objects WHERE object_type_id = 'p-test'")
    assert driver.fetch_all(engine, sql, {})[0][0] == before


def test_sqlite_thread_connections_close_with_the_engine(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'readers.db'}")
    assert driver.fetch_all(engine, driver.statements("SELECT 1"), {}) == [(1,)]
    reader = driver._sqlite_connections(engine)
    (connection,) = reader._open
    engine.dispose()
    with pytest.raises(sqlite3.ProgrammingError):  # closed
        connection.execute("SELECT 1")
    # a read after the dispose opens a connection again
    assert driver.fetch_all(engine, driver.statements("SELECT 2"), {}) == [(2,)]
    engine.dispose()


def test_a_pipeline_answers_each_statement_sent_with_its_own_rows(services: Services) -> None:
    """Statements are all sent before any rows are fetched (on PostgreSQL the server runs
    them meanwhile); each answer is its own statement's, text or binary."""
    engine = services.database.engine
    sql = driver.statements("SELECT :n + 1, CAST(:label AS TEXT)")
    with driver.statement_pipeline(engine) as pipe:
        sent = [pipe.send(sql, {"n": n, "label": f"#{n}"}, binary=n % 2 == 1) for n in range(4)]
        assert [rows() for rows in sent] == [[(n + 1, f"#{n}")] for n in range(4)]
    # the connection went back to the pool as its other users expect it
    with services.database.read() as conn:
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1
    assert driver.fetch_all(engine, driver.statements("SELECT 2"), {}) == [(2,)]


def test_a_pipeline_raises_a_statement_error_as_sqlalchemy_would(services: Services) -> None:
    engine = services.database.engine
    with pytest.raises(DBAPIError), driver.statement_pipeline(engine) as pipe:
        pipe.send(driver.statements("SELECT * FROM nowhere"), {})()
    assert driver.fetch_all(engine, driver.statements("SELECT 1"), {}) == [(1,)]
