"""Custom limits hold on the record write paths (today: batch/associate/default)."""

from __future__ import annotations

from sqlalchemy import func, select

from hubgraph.services.context import Services
from hubgraph.store.tables import associations
from tests.support.association_schema import associate, purge, set_limits
from tests.support.portals import Portal

HD = "HUBSPOT_DEFINED"


def stored_pairs(services: Services, portal: Portal, from_type: str) -> set[tuple[str, str]]:
    with services.database.read() as conn:
        rows = conn.execute(
            select(associations.c.from_id, associations.c.to_id).where(
                associations.c.portal_id == portal.id, associations.c.from_type == from_type
            )
        )
        return {(str(f), str(t)) for f, t in rows}


def row_count(services: Services, portal: Portal) -> int:
    with services.database.read() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(associations)
                .where(associations.c.portal_id == portal.id)
            ).scalar_one()
        )


def test_an_input_over_the_limit_writes_nothing_and_is_reported(
    portal: Portal, services: Services
) -> None:
    assert set_limits(portal, "contacts", "companies", [(HD, 279, 2)]).status_code == 201
    [c] = portal.create_records("contacts", 1)
    co1, co2, co3 = portal.create_records("companies", 3)
    response = associate(portal, "contacts", "companies", [(c, co1), (c, co2), (c, co3)])
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 4
    assert body["numErrors"] == 1
    [error] = body["errors"]
    assert error["status"] == "error"
    assert error["category"] == "VALIDATION_ERROR"
    assert "at most 2" in error["message"]
    assert error["context"]["fromObjectId"] == [c]
    assert error["context"]["toObjectId"] == [co3]
    assert error["context"]["associationSpec"] == ["HUBSPOT_DEFINED=279"]
    assert stored_pairs(services, portal, "0-1") == {(c, co1), (c, co2)}
    assert stored_pairs(services, portal, "0-2") == {(co1, c), (co2, c)}


def test_associations_from_earlier_requests_count(portal: Portal, services: Services) -> None:
    set_limits(portal, "contacts", "companies", [(HD, 279, 2)])
    [c] = portal.create_records("contacts", 1)
    co1, co2, co3 = portal.create_records("companies", 3)
    assert "errors" not in associate(portal, "contacts", "companies", [(c, co1), (c, co2)]).json()
    over = associate(portal, "contacts", "companies", [(c, co3)]).json()
    assert over["results"] == []
    assert over["numErrors"] == 1
    # Repeating an association that exists adds nothing, so it is within the limit.
    again = associate(portal, "contacts", "companies", [(c, co1)]).json()
    assert "errors" not in again
    assert row_count(services, portal) == 4


def test_the_inverse_direction_limit_holds(portal: Portal, services: Services) -> None:
    set_limits(portal, "companies", "contacts", [(HD, 280, 1)])
    c1, c2 = portal.create_records("contacts", 2)
    [co] = portal.create_records("companies", 1)
    body = associate(portal, "contacts", "companies", [(c1, co), (c2, co)]).json()
    assert len(body["results"]) == 2
    [error] = body["errors"]
    assert error["context"]["fromObjectId"] == [co]
    assert error["context"]["associationSpec"] == ["HUBSPOT_DEFINED=280"]
    assert "company" in error["message"]
    assert stored_pairs(services, portal, "0-1") == {(c1, co)}
    reverse = associate(portal, "companies", "contacts", [(co, c2)]).json()
    assert reverse["numErrors"] == 1


def test_a_limit_holds_from_either_side_of_the_path(portal: Portal) -> None:
    set_limits(portal, "contacts", "companies", [(HD, 279, 1)])
    [c] = portal.create_records("contacts", 1)
    co1, co2 = portal.create_records("companies", 2)
    assert "errors" not in associate(portal, "companies", "contacts", [(co1, c)]).json()
    assert associate(portal, "companies", "contacts", [(co2, c)]).json()["numErrors"] == 1


def test_purge_restores_many(portal: Portal) -> None:
    set_limits(portal, "contacts", "companies", [(HD, 279, 1)])
    [c] = portal.create_records("contacts", 1)
    companies = portal.create_records("companies", 5)
    first = associate(portal, "contacts", "companies", [(c, co) for co in companies]).json()
    assert first["numErrors"] == 4
    assert purge(portal, "contacts", "companies", [(HD, 279)]).status_code == 204
    second = associate(portal, "contacts", "companies", [(c, co) for co in companies]).json()
    assert "errors" not in second
    assert len(second["results"]) == 10


def test_raising_a_limit_admits_more(portal: Portal) -> None:
    set_limits(portal, "contacts", "companies", [(HD, 279, 1)])
    [c] = portal.create_records("contacts", 1)
    co1, co2 = portal.create_records("companies", 2)
    associate(portal, "contacts", "companies", [(c, co1)])
    assert associate(portal, "contacts", "companies", [(c, co2)]).json()["numErrors"] == 1
    set_limits(portal, "contacts", "companies", [(HD, 279, 2)], op="update")
    assert "errors" not in associate(portal, "contacts", "companies", [(c, co2)]).json()


def test_a_same_object_limit_is_shared_both_ways(portal: Portal) -> None:
    set_limits(portal, "contacts", "contacts", [(HD, 449, 1)])
    a, b, c = portal.create_records("contacts", 3)
    assert "errors" not in associate(portal, "contacts", "contacts", [(a, b)]).json()
    # b already has its one contact (a), whichever side b is on.
    body = associate(portal, "contacts", "contacts", [(c, b)]).json()
    assert body["numErrors"] == 1
    assert body["errors"][0]["context"]["fromObjectId"] == [b]


def test_a_self_association_counts_once(portal: Portal) -> None:
    set_limits(portal, "contacts", "contacts", [(HD, 449, 1)])
    [a] = portal.create_records("contacts", 1)
    assert "errors" not in associate(portal, "contacts", "contacts", [(a, a)]).json()


def test_associations_to_archived_records_do_not_count(portal: Portal) -> None:
    set_limits(portal, "contacts", "companies", [(HD, 279, 1)])
    [c] = portal.create_records("contacts", 1)
    co1, co2 = portal.create_records("companies", 2)
    associate(portal, "contacts", "companies", [(c, co1)])
    assert portal.delete(f"/crm/v3/objects/companies/{co1}").status_code == 204
    assert "errors" not in associate(portal, "contacts", "companies", [(c, co2)]).json()


def test_other_records_and_portals_are_not_limited(portal: Portal, other_portal: Portal) -> None:
    set_limits(portal, "contacts", "companies", [(HD, 279, 1)])
    c1, c2 = portal.create_records("contacts", 2)
    co1, co2 = portal.create_records("companies", 2)
    body = associate(portal, "contacts", "companies", [(c1, co1), (c2, co1), (c2, co2)]).json()
    assert len(body["results"]) == 4
    assert body["errors"][0]["context"]["toObjectId"] == [co2]
    [oc] = other_portal.create_records("contacts", 1)
    others = other_portal.create_records("companies", 3)
    body = associate(other_portal, "contacts", "companies", [(oc, co) for co in others]).json()
    assert "errors" not in body
