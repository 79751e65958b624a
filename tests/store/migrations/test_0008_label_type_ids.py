"""Migration 0008: labels numbered like HubSpot's own types get free typeIds, everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select

from hubgraph.domain.label_type_ids import reserved_type_ids
from hubgraph.store import migrate
from hubgraph.store.tables import (
    association_limits,
    association_type_sequences,
    association_types,
    associations,
    portals,
)
from tests.support.portals import postgres_database

USER, HUBSPOT = 2, 1
PORTAL = 10_000_001


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
    else:
        yield from postgres_database()


def _label(type_id: int, inverse: int, name: str) -> dict[str, object]:
    return {
        "portal_id": PORTAL,
        "category": USER,
        "type_id": type_id,
        "from_type": "0-1" if type_id < inverse else "0-2",
        "to_type": "0-2" if type_id < inverse else "0-1",
        "name": name,
        "label": name,
        "inverse_type_id": inverse,
        "created_at": 0,
    }


def _link(from_id: int, to_id: int, category: int, type_id: int) -> dict[str, object]:
    return {
        "portal_id": PORTAL,
        "from_type": "0-1",
        "from_id": from_id,
        "to_type": "0-2",
        "to_id": to_id,
        "category": category,
        "type_id": type_id,
        "created_at": 0,
    }


def test_clashing_labels_move_with_their_associations_and_limits(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    migrate.upgrade(engine, "0004_oauth")
    # As the old numbering left it: a paired label 1/2 (the ids of HubSpot's Primary), then
    # a label 9/10 that HubSpot does not use.
    assert {1, 2} <= reserved_type_ids()
    assert not {9, 10} & reserved_type_ids()
    with engine.begin() as conn:
        conn.execute(
            insert(portals).values(id=PORTAL, name="old", next_object_id=1001, created_at=0)
        )
        conn.execute(
            insert(association_types),
            [_label(1, 2, "a"), _label(2, 1, "a"), _label(9, 10, "b"), _label(10, 9, "b")],
        )
        conn.execute(
            insert(associations),
            [_link(1001, 2001, USER, 1), _link(1001, 2001, HUBSPOT, 1), _link(1001, 2001, USER, 9)],
        )
        conn.execute(
            insert(association_limits).values(
                portal_id=PORTAL,
                from_type="0-1",
                to_type="0-2",
                category=USER,
                type_id=1,
                max_to_object_ids=5,
            )
        )
        conn.execute(insert(association_type_sequences).values(portal_id=PORTAL, next_type_id=11))

    migrate.upgrade(engine)

    with engine.connect() as conn:
        labels = {
            (r.type_id, r.inverse_type_id, r.name) for r in conn.execute(select(association_types))
        }
        links = {(r.category, r.type_id) for r in conn.execute(select(associations))}
        limit = conn.execute(select(association_limits.c.type_id)).scalar_one()
        sequence = conn.execute(select(association_type_sequences.c.next_type_id)).scalar_one()
    engine.dispose()
    moved = {name: (t, i) for t, i, name in labels if name == "a" and t < i}
    [(new_a, new_inverse)] = moved.values()
    assert not {new_a, new_inverse} & reserved_type_ids()
    assert min(new_a, new_inverse) >= 11
    assert labels == {
        (new_a, new_inverse, "a"),
        (new_inverse, new_a, "a"),
        (9, 10, "b"),
        (10, 9, "b"),
    }
    assert links == {(USER, new_a), (HUBSPOT, 1), (USER, 9)}  # HubSpot's Primary stays
    assert limit == new_a
    assert sequence > max(new_a, new_inverse)
