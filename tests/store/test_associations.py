"""Pages of associated records for several from-records at once (store/associations.py
``page_of_associated``: v3 ``?associations=`` and the explorer), on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from hubgraph.services.context import Services
from hubgraph.store.associations import page_of_associated
from tests.support.portals import Portal


@pytest.fixture
def linked(portal: Portal) -> tuple[list[int], list[int]]:
    """Two contacts, each associated with the same four companies; the second archived."""
    contacts = [int(i) for i in portal.create_records("contacts", 2)]
    companies = [int(i) for i in portal.create_records("companies", 4)]
    for contact in contacts:
        for company in companies:
            path = f"/crm/v4/objects/contacts/{contact}/associations/default/companies/{company}"
            assert portal.client.put(path, headers=portal.headers).status_code == 200
    archived = portal.delete(f"/crm/v3/objects/companies/{companies[1]}")
    assert archived.status_code == 204
    return contacts, companies


@pytest.mark.parametrize("several", [False, True], ids=["one", "several"])
def test_pages_skip_archived_targets_and_start_after_each_cursor(
    portal: Portal, services: Services, linked: tuple[list[int], list[int]], several: bool
) -> None:
    (c1, c2), (co1, _, co3, co4) = linked
    cursors = {c1: 0, c2: co1} if several else {c1: co1}
    with services.database.read() as conn:
        page = page_of_associated(conn, portal.id, "0-1", "0-2", cursors, 2)
    got = {(r.from_id, r.to_id) for r in page}
    expected = {(c1, co1), (c1, co3), (c2, co3), (c2, co4)} if several else {(c1, co3), (c1, co4)}
    assert got == expected


@pytest.mark.parametrize("several", [False, True], ids=["one", "several"])
def test_sqlite_reads_archived_targets_through_their_partial_index(
    portal: Portal,
    services: Services,
    database_url: str,
    linked: tuple[list[int], list[int]],
    several: bool,
) -> None:
    """Without statistics SQLite read them through the primary key, every record of the
    target type (docs/performance.md): the plan must name the partial index."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL plans from its statistics; INDEXED BY is SQLite's")
    contacts, _ = linked
    cursors = {c: 0 for c in contacts} if several else {contacts[0]: 0}
    engine = services.database.engine
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, sql: str, parameters: Any, *_: Any) -> None:
        sent.append((sql, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with services.database.read() as conn:
            page_of_associated(conn, portal.id, "0-1", "0-2", cursors, 10)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    [(sql, parameters)] = [(q, p) for q, p in sent if "FROM associations" in q]
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        plan = [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + sql, parameters)]
    on_objects = [step for step in plan if " objects " in f"{step} "]
    assert on_objects, plan
    assert all("USING INDEX objects_archived" in step for step in on_objects), plan
