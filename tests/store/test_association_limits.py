"""The default write's one-probe question, "any custom limit between these two types?",
answers as ``limits_for`` over both ordered pairs does, on both databases."""

from __future__ import annotations

from hubgraph.domain.association_types import Category
from hubgraph.domain.limits import AssociationLimit
from hubgraph.services.context import Services
from hubgraph.store.association_limits import any_limit_between, insert_limits, limits_for
from tests.support.portals import Portal

PAIRS = [("0-1", "0-2"), ("0-2", "0-1"), ("0-1", "0-3"), ("0-3", "0-2"), ("0-1", "0-1")]


def test_a_limit_in_either_direction_is_found_and_only_in_its_portal(
    portal: Portal, services: Services
) -> None:
    backward = services.association_types.default_for("0-2", "0-1")
    assert backward is not None
    other_portal = portal.id + 1_000_000  # no portal has this id: nothing of ours is there
    with services.database.engine.connect() as conn, conn.begin() as transaction:
        assert not any(any_limit_between(conn, portal.id, a, b) for a, b in PAIRS)
        limit = AssociationLimit("0-2", "0-1", Category.HUBSPOT_DEFINED, backward.type_id, 3)
        insert_limits(conn, portal.id, [limit])
        for a, b in PAIRS:
            expected = bool(limits_for(conn, portal.id, {(a, b), (b, a)}))
            assert any_limit_between(conn, portal.id, a, b) is expected, (a, b)
        assert any_limit_between(conn, portal.id, "0-1", "0-2")
        assert any_limit_between(conn, portal.id, "0-2", "0-1")
        assert not any_limit_between(conn, portal.id, "0-1", "0-3")
        assert not any_limit_between(conn, other_portal, "0-1", "0-2")
        transaction.rollback()
