"""LimitCheck with USER_DEFINED labels: the rows a labelled write would add.

The labelled record endpoints are built on another branch; every write path calls
``admit_within_limits``, so it is exercised here with labelled rows directly.
"""

from __future__ import annotations

import threading

import pytest

from hubgraph.domain.association_types import Category
from hubgraph.domain.associations import Association
from hubgraph.domain.scopes import all_crm_scopes
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations.default_writes import create_default
from hubgraph.services.associations.kernel import ObjectPair, admit_within_limits
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.results import BatchOutcome
from hubgraph.store.associations import insert_associations
from tests.support.association_schema import (
    create_label,
    legacy_label,
    set_limits,
    store_labelled,
)
from tests.support.locks import wait_until_blocked_or_done as _wait_until_blocked_or_done
from tests.support.portals import Portal

UD = Category.USER_DEFINED


def labelled(c: str, co: str, forward: int, backward: int) -> list[Association]:
    return [
        Association("0-1", int(c), "0-2", int(co), UD, forward),
        Association("0-2", int(co), "0-1", int(c), UD, backward),
    ]


def admit(services: Services, portal: Portal, candidates: list[list[Association]]):  # type: ignore[no-untyped-def]
    outcome: BatchOutcome[Association] = BatchOutcome()
    with services.database.write() as conn:
        admitted = admit_within_limits(services, conn, portal.id, candidates, outcome)
    return admitted, outcome


def test_a_label_limit_holds_against_stored_and_earlier_rows(
    portal: Portal, services: Services
) -> None:
    created = create_label(portal, "contacts", "companies", "decider", "Decision maker", "Decides")
    forward = next(r["typeId"] for r in created if r["label"] == "Decision maker")
    backward = next(r["typeId"] for r in created if r["label"] == "Decides")
    assert (
        set_limits(portal, "contacts", "companies", [("USER_DEFINED", forward, 2)]).status_code
        == 201
    )
    [c] = portal.create_records("contacts", 1)
    co1, co2, co3 = portal.create_records("companies", 3)
    store_labelled(
        services, portal, [("0-1", c, "0-2", co1, forward), ("0-2", co1, "0-1", c, backward)]
    )
    admitted, outcome = admit(
        services, portal, [labelled(c, co2, forward, backward), labelled(c, co3, forward, backward)]
    )
    assert set(admitted) == set(labelled(c, co2, forward, backward))
    [error] = outcome.errors
    assert error.context["associationSpec"] == [f"USER_DEFINED={forward}"]
    assert error.context["toObjectId"] == [co3]


def test_the_inverse_label_has_its_own_limit(portal: Portal, services: Services) -> None:
    created = create_label(portal, "contacts", "companies", "decider", "Decision maker", "Decides")
    forward = next(r["typeId"] for r in created if r["label"] == "Decision maker")
    backward = next(r["typeId"] for r in created if r["label"] == "Decides")
    set_limits(portal, "companies", "contacts", [("USER_DEFINED", backward, 1)])
    c1, c2 = portal.create_records("contacts", 2)
    [co] = portal.create_records("companies", 1)
    admitted, outcome = admit(
        services, portal, [labelled(c1, co, forward, backward), labelled(c2, co, forward, backward)]
    )
    assert set(admitted) == set(labelled(c1, co, forward, backward))
    assert outcome.errors[0].context["fromObjectId"] == [co]


def test_a_user_defined_limit_does_not_bind_the_hubspot_type_with_the_same_id(
    portal: Portal, services: Services
) -> None:
    # Numbered as before migration 0008: equal to HUBSPOT_DEFINED 1, contact→primary company.
    created = legacy_label(portal, "contacts", "companies", "decider", "Decision maker", first_id=1)
    forward = min(r["typeId"] for r in created)
    assert forward == 1
    set_limits(portal, "contacts", "companies", [("USER_DEFINED", 1, 1)])
    [c] = portal.create_records("contacts", 1)
    co1, co2 = portal.create_records("companies", 2)
    primary = [
        [Association("0-1", int(c), "0-2", int(co), Category.HUBSPOT_DEFINED, 1)]
        for co in (co1, co2)
    ]
    admitted, outcome = admit(services, portal, primary)
    assert len(admitted) == 2
    assert outcome.errors == []


def test_concurrent_writers_cannot_both_take_the_last_slot(
    portal: Portal, services: Services
) -> None:
    """Writer 1 has counted and not yet committed; writer 2 must wait for it, then refuse."""
    if not services.settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one writer at a time; the row lock is PostgreSQL's")
    set_limits(portal, "contacts", "companies", [("HUBSPOT_DEFINED", 279, 1)])
    [c] = portal.create_records("contacts", 1)
    co1, co2 = portal.create_records("companies", 2)
    principal = Principal(portal.id, frozenset(all_crm_scopes()))
    second: dict[str, BatchOutcome[Association]] = {}

    def write_second() -> None:
        second["outcome"] = create_default(
            services, principal, "contacts", "companies", [ObjectPair(c, co2)]
        )

    with services.database.write() as conn:
        first = [
            Association("0-1", int(c), "0-2", int(co1), Category.HUBSPOT_DEFINED, 279),
            Association("0-2", int(co1), "0-1", int(c), Category.HUBSPOT_DEFINED, 280),
        ]
        admitted = admit_within_limits(services, conn, portal.id, [first], BatchOutcome())
        writer = threading.Thread(target=write_second)
        writer.start()
        blocked = _wait_until_blocked_or_done(services, writer)
        insert_associations(conn, portal.id, list(admitted), now_ms())
    writer.join()
    assert blocked, "the second writer did not wait for the first one's lock"
    assert second["outcome"].results == []
    assert len(second["outcome"].errors) == 1
