"""One statement checks a batch's records, writes both directions of the valid inputs and
names the invalid ones, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hubgraph.domain.association_types import Category
from hubgraph.services.context import Services
from hubgraph.store.default_associations import Invalid, associate_live_pairs
from hubgraph.store.journal import AssociationChange, close_journal, open_journal
from hubgraph.store.tables import associations
from tests.support.portals import Portal


# SQLite writes a few pairs straight from their JSON and more through a temporary table
# (store/default_associations.py): 7 inputs take the first way, 7 + 13 repeats the second.
@pytest.mark.parametrize("repeats", [0, 13], ids=["few", "many"])
def test_valid_inputs_are_written_both_ways_and_invalid_ones_named(
    portal: Portal, services: Services, repeats: int
) -> None:
    c1, c2 = (int(i) for i in portal.create_records("contacts", 2))
    co1, co2, gone = (int(i) for i in portal.create_records("companies", 3))
    assert portal.delete(f"/crm/v3/objects/companies/{gone}").status_code == 204
    forward = services.association_types.default_for("0-1", "0-2")
    assert forward is not None
    backward = services.association_types.get(Category.HUBSPOT_DEFINED, forward.inverse_type_id)
    assert backward is not None
    from_ids: list[int | None] = [c1, c1, None, c2, co1, c2, c1] + [c1] * repeats
    to_ids: list[int | None] = [co1, gone, co2, co2, co2, None, co1] + [co1] * repeats
    with services.database.engine.connect() as conn, conn.begin() as transaction:
        invalid = associate_live_pairs(
            conn, portal.id, "0-1", "0-2", forward, backward, from_ids, to_ids, 1
        )
        stored = {
            tuple(r)
            for r in conn.execute(
                select(
                    associations.c.from_type,
                    associations.c.from_id,
                    associations.c.to_type,
                    associations.c.to_id,
                    associations.c.type_id,
                ).where(associations.c.portal_id == portal.id)
            )
        }
        transaction.rollback()  # a plain transaction: no webhooks journal of its own
    assert invalid == [
        Invalid(1, True, False),  # an archived company
        Invalid(2, False, True),  # an id that did not parse
        Invalid(4, False, True),  # a company id given as the contact
        Invalid(5, True, False),
    ]
    f, b = forward.type_id, backward.type_id
    # The repeated input (0, 6 and the repeats) is written once.
    assert stored == {
        ("0-1", c1, "0-2", co1, f),
        ("0-2", co1, "0-1", c1, b),
        ("0-1", c2, "0-2", co2, f),
        ("0-2", co2, "0-1", c2, b),
    }


def test_an_all_invalid_batch_writes_nothing(portal: Portal, services: Services) -> None:
    forward = services.association_types.default_for("0-1", "0-2")
    assert forward is not None
    backward = services.association_types.get(Category.HUBSPOT_DEFINED, forward.inverse_type_id)
    assert backward is not None
    with services.database.engine.connect() as conn, conn.begin() as transaction:
        invalid = associate_live_pairs(
            conn, portal.id, "0-1", "0-2", forward, backward, [1, None], [None, 2], 1
        )
        transaction.rollback()  # a plain transaction: no webhooks journal of its own
    assert invalid == [Invalid(0, False, False), Invalid(1, False, False)]


def test_a_journaled_write_notes_exactly_the_rows_it_adds(
    portal: Portal, services: Services
) -> None:
    c1, c2 = (int(i) for i in portal.create_records("contacts", 2))
    (co,) = (int(i) for i in portal.create_records("companies", 1))
    assert portal.put(f"/crm/v4/objects/contacts/{c1}/associations/default/companies/{co}")
    forward = services.association_types.default_for("0-1", "0-2")
    assert forward is not None
    backward = services.association_types.get(Category.HUBSPOT_DEFINED, forward.inverse_type_id)
    assert backward is not None
    with services.database.engine.connect() as conn, conn.begin() as transaction:
        changes = open_journal(conn)
        try:
            invalid = associate_live_pairs(
                conn, portal.id, "0-1", "0-2", forward, backward, [c1, c2, None], [co, co, co], 1
            )
        finally:
            close_journal(conn)
        transaction.rollback()  # a plain transaction: no webhooks journal of its own
    assert invalid == [Invalid(2, False, True)]
    # c1 -> co existed already: only c2's two rows are new.
    assert {(c.row.from_id, c.row.to_id) for c in changes if isinstance(c, AssociationChange)} == {
        (c2, co),
        (co, c2),
    }
