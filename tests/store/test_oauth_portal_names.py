"""The consent page names a user's portals however many portals the database holds."""

from __future__ import annotations

from sqlalchemy import insert

from hubgraph.services.context import Services
from hubgraph.store.oauth import portal_names
from hubgraph.store.tables import portals
from tests.support.portals import Portal


def test_names_are_found_by_id_behind_more_than_a_thousand_portals(
    portal: Portal, services: Services
) -> None:
    # Portals with lower ids than the user's: a first-thousand listing would stop before it.
    filler = [
        {"id": i, "name": f"filler {i}", "next_object_id": 1, "created_at": 0}
        for i in range(1, 1_201)
    ]
    with services.database.engine.connect() as conn, conn.begin() as transaction:
        conn.execute(insert(portals), filler)
        names = portal_names(conn, [portal.id, 7, portal.id])
        assert names[7] == "filler 7"
        assert names[portal.id] == "test"  # tests/support/portals.py names it so
        assert set(names) == {7, portal.id}
        assert portal_names(conn, []) == {}
        assert portal_names(conn, [portal.id + 1_000_000]) == {}
        transaction.rollback()
