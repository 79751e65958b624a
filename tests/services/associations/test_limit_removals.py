"""LimitCheck credits a removed row only when it counts and its input is written."""

from __future__ import annotations

from hubgraph.domain.association_types import Category
from hubgraph.domain.associations import Association
from hubgraph.services.associations.kernel import admit_within_limits
from hubgraph.services.context import Services
from hubgraph.services.results import BatchOutcome
from tests.support.association_schema import create_label, set_limits, store_labelled
from tests.support.portals import Portal

UD = Category.USER_DEFINED


def test_only_removed_rows_that_count_free_a_slot(portal: Portal, services: Services) -> None:
    created = create_label(portal, "contacts", "companies", "decider", "Decision maker")
    forward = min(r["typeId"] for r in created)
    [c] = portal.create_records("contacts", 1)
    live, archived, new = portal.create_records("companies", 3)
    store_labelled(services, portal, [("0-1", c, "0-2", co, forward) for co in (live, archived)])
    assert portal.delete(f"/crm/v3/objects/companies/{archived}").status_code == 204
    # Lowered below usage: c counts 1 (the archived target does not count).
    assert (
        set_limits(portal, "contacts", "companies", [("USER_DEFINED", forward, 1)]).status_code
        == 201
    )

    def row(co: str) -> Association:
        return Association("0-1", int(c), "0-2", int(co), UD, forward)

    def admitted(removed: set[Association], *more: list[Association]) -> int:
        outcome: BatchOutcome[Association] = BatchOutcome()
        with services.database.write() as conn:
            candidates = [[row(new)], *more]
            removals = [removed] + [set() for _ in more]
            admit_within_limits(services, conn, portal.id, candidates, outcome, removals)
            conn.rollback()
        return len(candidates) - len(outcome.errors)

    assert admitted(set()) == 0
    assert admitted({row(archived)}) == 0
    assert admitted({row(live)}) == 1
    # A row another input writes stays: removing it frees nothing.
    assert admitted({row(live)}, [row(live)]) == 1
