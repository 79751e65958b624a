"""Limits set through ``…/definitions/configurations`` hold on every record write path.

PUT default (400), PUT labelled (400), batch/create (207 item), batch/associate/default
(200 item); purging a limit brings back "many".
"""

from __future__ import annotations

from typing import Any

from tests.support.association_schema import (
    SPEC,
    associate,
    configurations_url,
    create_label,
    legacy_label,
    purge,
    set_limits,
)
from tests.support.associations_v4 import associated, batch_create, put_default, put_labels, spec
from tests.support.portals import Portal

HD, UD = "HUBSPOT_DEFINED", "USER_DEFINED"


def refused_everywhere(portal: Portal, contact: str, company: str, types: list[Any]) -> None:
    """Each record write path refuses contact→company, and writes nothing."""
    if not types:
        single = put_default(portal, "contacts", contact, "companies", company)
        assert single.status_code == 400, single.text
        assert single.json()["category"] == "VALIDATION_ERROR"
        assert single.json()["message"].startswith("Association limit exceeded")
        default = associate(portal, "contacts", "companies", [(contact, company)])
        assert default.status_code == 200
        assert default.json()["numErrors"] == 1
        assert default.json()["results"] == []
    labelled = put_labels(portal, "contacts", contact, "companies", company, types)
    assert labelled.status_code == 400, labelled.text
    assert labelled.json()["message"].startswith("Association limit exceeded")
    batch = batch_create(portal, "contacts", "companies", [(contact, company, types)])
    assert batch.status_code == 207, batch.text
    assert batch.json()["numErrors"] == 1
    assert batch.json()["results"] == []
    [error] = batch.json()["errors"]
    assert error["category"] == "VALIDATION_ERROR"
    assert int(company) not in associated(portal, "contacts", contact, "companies")


def test_the_unlabeled_limit_holds_on_every_write_path(portal: Portal) -> None:
    created = set_limits(portal, "contacts", "companies", [(HD, 279, 1)])
    assert created.status_code == 201, created.text
    [c] = portal.create_records("contacts", 1)
    co1, co2 = portal.create_records("companies", 2)
    assert put_default(portal, "contacts", c, "companies", co1).status_code == 200
    refused_everywhere(portal, c, co2, [])
    refused_everywhere(portal, c, co2, [spec(931)])
    # Relabelling the association c already has is within the limit.
    assert put_labels(portal, "contacts", c, "companies", co1, [spec(931)]).status_code == 201

    assert purge(portal, "contacts", "companies", [(HD, 279)]).status_code == 204
    assert put_default(portal, "contacts", c, "companies", co2).status_code == 200
    more = portal.create_records("companies", 3)
    assert (
        "errors" not in associate(portal, "contacts", "companies", [(c, co) for co in more]).json()
    )
    assert (
        batch_create(portal, "contacts", "companies", [(c, more[0], [spec(931)])]).status_code
        == 201
    )
    assert len(associated(portal, "contacts", c, "companies")) == 5


def test_a_label_limit_holds_and_leaves_primary_1_alone(portal: Portal) -> None:
    # Numbered as before migration 0008: USER_DEFINED 1 beside HubSpot's Primary 1.
    created = legacy_label(
        portal, "contacts", "companies", "decider", "Decision maker", "Decides", first_id=1
    )
    decider = next(r["typeId"] for r in created if r["label"] == "Decision maker")
    assert decider == 1
    response = portal.post(
        configurations_url("contacts", "companies", "create", prefix=SPEC),
        json={"inputs": [{"category": UD, "typeId": 1, "maxToObjectIds": 1}]},
    )
    assert response.status_code == 201, response.text
    assert response.json()["results"] == [
        {"category": UD, "typeId": 1, "label": "Decision maker", "userEnforcedMaxToObjectIds": 1}
    ]
    [c] = portal.create_records("contacts", 1)
    co1, co2 = portal.create_records("companies", 2)
    assert put_labels(portal, "contacts", c, "companies", co1, [spec(1, UD)]).status_code == 201
    refused_everywhere(portal, c, co2, [spec(1, UD)])
    # HUBSPOT_DEFINED 1 (Primary) and the unlabeled type are not limited.
    assert put_labels(portal, "contacts", c, "companies", co2, [spec(1)]).status_code == 201
    assert associate(portal, "contacts", "companies", [(c, co2)]).json().get("numErrors") is None

    assert set_limits(portal, "contacts", "companies", [(HD, 1, 1)]).status_code == 201
    assert purge(portal, "contacts", "companies", [(UD, 1)]).status_code == 204
    assert put_labels(portal, "contacts", c, "companies", co2, [spec(1, UD)]).status_code == 201
    left = portal.get(configurations_url("contacts", "companies")).json()["results"]
    assert [(r["category"], r["typeId"], r["label"]) for r in left] == [(HD, 1, "Primary")]


def test_the_inverse_label_limit_is_checked_on_the_company(portal: Portal) -> None:
    created = create_label(portal, "contacts", "companies", "decider", "Decision maker", "Decides")
    decides = next(r["typeId"] for r in created if r["label"] == "Decides")
    assert set_limits(portal, "companies", "contacts", [(UD, decides, 1)]).status_code == 201
    c1, c2 = portal.create_records("contacts", 2)
    [co] = portal.create_records("companies", 1)
    first = next(r["typeId"] for r in created if r["label"] == "Decision maker")
    assert put_labels(portal, "contacts", c1, "companies", co, [spec(first, UD)]).status_code == 201
    response = batch_create(portal, "contacts", "companies", [(c2, co, [spec(first, UD)])])
    assert response.status_code == 207
    assert response.json()["errors"][0]["context"]["fromObjectId"] == [co]
    assert response.json()["errors"][0]["context"]["associationSpec"] == [f"USER_DEFINED={decides}"]
    # HUBSPOT_DEFINED 2 (company→primary contact) has no limit: co may be primary for both.
    ok = batch_create(portal, "contacts", "companies", [(c1, co, [spec(1)]), (c2, co, [spec(1)])])
    assert ok.status_code == 201, ok.text


def test_deleting_a_label_removes_its_limits(portal: Portal) -> None:
    created = create_label(portal, "contacts", "companies", "decider", "Decision maker")
    forward = min(r["typeId"] for r in created)
    set_limits(portal, "contacts", "companies", [(UD, forward, 1)])
    assert (
        portal.delete(f"/crm/v4/associations/contacts/companies/labels/{forward}").status_code
        == 204
    )
    listed = portal.get(configurations_url("contacts", "companies")).json()["results"]
    assert listed == []


def test_the_high_usage_report_counts_what_the_write_check_counts(portal: Portal) -> None:
    """Both count live targets only, and key types by (category, typeId)."""
    legacy_label(
        portal, "contacts", "companies", "decider", "Decision maker", "Decides", first_id=1
    )
    assert set_limits(portal, "contacts", "companies", [(UD, 1, 2)]).status_code == 201
    [c] = portal.create_records("contacts", 1)
    co1, co2, co3, co4 = portal.create_records("companies", 4)
    for co in (co1, co2):
        assert put_labels(portal, "contacts", c, "companies", co, [spec(1, UD)]).status_code == 201
    # Primary (HUBSPOT_DEFINED 1) is another type: it neither counts nor is counted.
    assert put_labels(portal, "contacts", c, "companies", co3, [spec(1)]).status_code == 201
    portal.post("/crm/v4/associations/usage/high-usage-report/7")
    [row] = portal.get("/_hubgraph/reports/high-usage/7").json()["records"]
    assert (row["category"], row["typeId"], row["associatedCount"]) == (UD, 1, 2)

    assert portal.delete(f"/crm/v3/objects/companies/{co2}").status_code == 204
    portal.post("/crm/v4/associations/usage/high-usage-report/7")
    # 1 of 2 is below 80 %, and the write check agrees there is room.
    assert portal.get("/_hubgraph/reports/high-usage/7").json()["records"] == []
    assert put_labels(portal, "contacts", c, "companies", co4, [spec(1, UD)]).status_code == 201


def test_limits_on_same_object_labels(portal: Portal) -> None:
    """A paired label's two directions have their own limits; a symmetric one shares one."""
    paired = create_label(portal, "contacts", "contacts", "manager", "Manager", "Employee")
    manager = next(r["typeId"] for r in paired if r["label"] == "Manager")
    employee = next(r["typeId"] for r in paired if r["label"] == "Employee")
    [friend] = create_label(portal, "contacts", "contacts", "friend", "Friend")
    limits = [(UD, manager, 2), (UD, employee, 1), (UD, friend["typeId"], 1)]
    assert set_limits(portal, "contacts", "contacts", limits).status_code == 201
    boss, a, b, c = portal.create_records("contacts", 4)
    # boss manages a and b (2 of 2); b can have one manager only.
    inputs = [(boss, a, [spec(manager, UD)]), (boss, b, [spec(manager, UD)])]
    assert batch_create(portal, "contacts", "contacts", inputs).status_code == 201
    over = batch_create(portal, "contacts", "contacts", [(boss, c, [spec(manager, UD)])])
    assert over.json()["errors"][0]["context"]["fromObjectId"] == [boss]
    second_boss = put_labels(portal, "contacts", a, "contacts", b, [spec(manager, UD)])
    assert second_boss.status_code == 400
    assert second_boss.json()["context"]["associationSpec"] == [f"USER_DEFINED={employee}"]
    # Friend: a's one friend is b, so neither a nor b can befriend c.
    assert (
        put_labels(portal, "contacts", a, "contacts", b, [spec(friend["typeId"], UD)]).status_code
        == 201
    )
    for x in (a, b):
        refused = put_labels(portal, "contacts", c, "contacts", x, [spec(friend["typeId"], UD)])
        assert refused.status_code == 400
        assert refused.json()["context"]["fromObjectId"] == [x]
