"""Labels made through the schema API, used through the record API, end to end over HTTP.

A portal's USER_DEFINED typeIds start at 1, so they equal HUBSPOT_DEFINED ids (USER_DEFINED
1 beside contact→primary company 1): every path must keep (category, typeId) apart.
"""

from __future__ import annotations

from typing import Any

import pytest

from hubgraph.services.context import Services
from tests.support.association_schema import (
    PREFIXES,
    create_label,
    labels_url,
    legacy_label,
    listed,
)
from tests.support.associations_v4 import associated, batch_create, put_labels, spec
from tests.support.portals import Portal

HD, UD = "HUBSPOT_DEFINED", "USER_DEFINED"
BATCH = "/crm/v4/associations"

Types = set[tuple[str, int, str | None]]


def type_ids(created: list[dict[str, Any]]) -> dict[str, int]:
    return {r["label"]: r["typeId"] for r in created}


def archive_labels(
    portal: Portal, from_type: str, to_type: str, inputs: list[tuple[str, str, list[Any]]]
) -> Any:
    body = {"inputs": [{"from": {"id": f}, "to": {"id": t}, "types": s} for f, t, s in inputs]}
    return portal.post(f"{BATCH}/{from_type}/{to_type}/batch/labels/archive", json=body)


def batch_read(portal: Portal, from_type: str, to_type: str, ids: list[str]) -> dict[str, Any]:
    """from id → toObjectId → types, through batch/read (the first page is all there is)."""
    body = {"inputs": [{"id": i} for i in ids]}
    response = portal.post(f"{BATCH}/{from_type}/{to_type}/batch/read", json=body)
    assert response.status_code in (200, 207), response.text
    return {
        r["from"]["id"]: {
            to["toObjectId"]: {
                (t["category"], t["typeId"], t["label"]) for t in to["associationTypes"]
            }
            for to in r["to"]
        }
        for r in response.json()["results"]
    }


def seen_both_ways(
    portal: Portal, from_type: str, from_id: str, to_type: str, to_id: str
) -> tuple[Types, Types]:
    """The pair's types from each side, checked to agree between GET list and batch/read."""
    forward = associated(portal, from_type, from_id, to_type).get(int(to_id), set())
    backward = associated(portal, to_type, to_id, from_type).get(int(from_id), set())
    assert (
        batch_read(portal, from_type, to_type, [from_id]).get(from_id, {}).get(int(to_id), set())
        == forward
    )
    assert (
        batch_read(portal, to_type, from_type, [to_id]).get(to_id, {}).get(int(from_id), set())
        == backward
    )
    return forward, backward


def delete_label(portal: Portal, from_type: str, to_type: str, type_id: int, prefix: str) -> Any:
    return portal.delete(f"{labels_url(from_type, to_type, prefix)}/{type_id}")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_paired_contact_label_from_create_to_delete(portal: Portal, prefix: str) -> None:
    created = create_label(portal, "contacts", "contacts", "manager", "Manager", "Employee", prefix)
    ids = type_ids(created)
    manager, employee = ids["Manager"], ids["Employee"]
    a, b, c = portal.create_records("contacts", 3)

    put = put_labels(portal, "contacts", a, "contacts", b, [spec(manager, UD)])
    assert put.status_code == 201, put.text
    assert put.json()["labels"] == ["Manager"]
    created_batch = batch_create(portal, "contacts", "contacts", [(c, b, [spec(employee, UD)])])
    assert created_batch.status_code == 201, created_batch.text
    assert [r["labels"] for r in created_batch.json()["results"]] == [["Employee"], ["Manager"]]

    assert seen_both_ways(portal, "contacts", a, "contacts", b) == (
        {(HD, 449, None), (UD, manager, "Manager")},
        {(HD, 449, None), (UD, employee, "Employee")},
    )
    # c is b's employee: from b, c carries Manager.
    assert seen_both_ways(portal, "contacts", c, "contacts", b) == (
        {(HD, 449, None), (UD, employee, "Employee")},
        {(HD, 449, None), (UD, manager, "Manager")},
    )

    relabel = {"associationTypeId": manager, "label": "Boss", "inverseLabel": "Report"}
    assert portal.put(labels_url("contacts", "contacts", prefix), json=relabel).status_code == 204
    assert seen_both_ways(portal, "contacts", a, "contacts", b) == (
        {(HD, 449, None), (UD, manager, "Boss")},
        {(HD, 449, None), (UD, employee, "Report")},
    )
    again = put_labels(portal, "contacts", b, "contacts", a, [spec(employee, UD)])
    assert again.json()["labels"] == ["Report"]

    in_use = delete_label(portal, "contacts", "contacts", manager, prefix)
    assert in_use.status_code == 400
    assert in_use.json()["category"] == "VALIDATION_ERROR"
    assert "still used" in in_use.json()["message"]
    assert (
        archive_labels(portal, "contacts", "contacts", [(a, b, [spec(manager, UD)])]).status_code
        == 204
    )
    assert seen_both_ways(portal, "contacts", a, "contacts", b) == (
        {(HD, 449, None)},
        {(HD, 449, None)},
    )
    # b→c still carries the label (as Boss, from b's side).
    assert delete_label(portal, "contacts", "contacts", employee, prefix).status_code == 400
    assert (
        portal.delete(f"/crm/v4/objects/contacts/{b}/associations/contacts/{c}").status_code == 204
    )
    assert delete_label(portal, "contacts", "contacts", employee, prefix).status_code == 204
    assert {t[1] for t in listed(portal, "contacts", "contacts", prefix) if t[0] == UD} == set()
    gone = put_labels(portal, "contacts", a, "contacts", b, [spec(manager, UD)])
    assert gone.status_code == 400
    assert gone.json()["context"]["INVALID_ASSOCIATION_TYPE_ID"] == [
        f"USER_DEFINED={manager} is not a valid association definition id"
    ]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_user_defined_1_and_primary_1_are_never_confused(portal: Portal, prefix: str) -> None:
    # A label numbered before migration 0008: the ids of contact→primary company and back.
    created = legacy_label(
        portal, "contacts", "companies", "decider", "Decision maker", "Decides", first_id=1
    )
    ids = type_ids(created)
    assert (ids["Decision maker"], ids["Decides"]) == (1, 2)
    c1, c2, c3 = portal.create_records("contacts", 3)
    co1, co2 = portal.create_records("companies", 2)

    labelled = put_labels(portal, "contacts", c1, "companies", co1, [spec(1, UD)])
    assert labelled.json()["labels"] == ["Decision maker"]
    primary = put_labels(portal, "contacts", c1, "companies", co2, [spec(1)])
    assert primary.json()["labels"] == ["Primary"]
    both = batch_create(portal, "contacts", "companies", [(c2, co1, [spec(1, UD), spec(1)])])
    assert both.status_code == 201, both.text
    assert [sorted(r["labels"]) for r in both.json()["results"]] == [
        ["Decision maker", "Primary"],
        ["Decides", "Primary"],
    ]

    assert seen_both_ways(portal, "contacts", c1, "companies", co1) == (
        {(HD, 279, None), (UD, 1, "Decision maker")},
        {(HD, 280, None), (UD, 2, "Decides")},
    )
    assert seen_both_ways(portal, "contacts", c1, "companies", co2) == (
        {(HD, 279, None), (HD, 1, "Primary")},
        {(HD, 280, None), (HD, 2, "Primary")},
    )
    assert seen_both_ways(portal, "contacts", c2, "companies", co1) == (
        {(HD, 279, None), (HD, 1, "Primary"), (UD, 1, "Decision maker")},
        {(HD, 280, None), (HD, 2, "Primary"), (UD, 2, "Decides")},
    )

    # A new primary for c1 (co1) demotes co2, and leaves USER_DEFINED 1 on co1 alone.
    again = put_labels(portal, "contacts", c1, "companies", co1, [spec(1, UD), spec(1)])
    assert sorted(again.json()["labels"]) == ["Decision maker", "Primary"]
    assert seen_both_ways(portal, "contacts", c1, "companies", co2) == (
        {(HD, 279, None)},
        {(HD, 280, None)},
    )
    # The label's type on a pair that has no primary is not a primary: c3 keeps its own.
    batch_create(portal, "contacts", "companies", [(c3, co2, [spec(1)]), (c3, co1, [spec(1, UD)])])
    assert associated(portal, "contacts", c3, "companies") == {
        int(co2): {(HD, 279, None), (HD, 1, "Primary")},
        int(co1): {(HD, 279, None), (UD, 1, "Decision maker")},
    }

    # Archiving one category's 1 leaves the other's.
    assert (
        archive_labels(portal, "contacts", "companies", [(c2, co1, [spec(1)])]).status_code == 204
    )
    assert seen_both_ways(portal, "contacts", c2, "companies", co1)[0] == {
        (HD, 279, None),
        (UD, 1, "Decision maker"),
    }
    archive = archive_labels(portal, "companies", "contacts", [(co1, c1, [spec(2, UD)])])
    assert archive.status_code == 204
    assert seen_both_ways(portal, "contacts", c1, "companies", co1) == (
        {(HD, 279, None), (HD, 1, "Primary")},
        {(HD, 280, None), (HD, 2, "Primary")},
    )

    relabel = {"associationTypeId": 1, "label": "Decider", "inverseLabel": "Decided by"}
    assert portal.put(labels_url("contacts", "companies", prefix), json=relabel).status_code == 204
    assert associated(portal, "contacts", c1, "companies")[int(co1)] == {
        (HD, 279, None),
        (HD, 1, "Primary"),
    }
    assert associated(portal, "companies", co1, "contacts")[int(c2)] == {
        (HD, 280, None),
        (UD, 2, "Decided by"),
    }

    # USER_DEFINED 1 is still used by c2 and c3; Primary 1 on c1 does not count.
    assert delete_label(portal, "contacts", "companies", 1, prefix).status_code == 400
    for c in (c2, c3):
        removal = archive_labels(portal, "contacts", "companies", [(c, co1, [spec(1, UD)])])
        assert removal.status_code == 204
    assert delete_label(portal, "contacts", "companies", 1, prefix).status_code == 204
    assert associated(portal, "contacts", c1, "companies")[int(co1)] == {
        (HD, 279, None),
        (HD, 1, "Primary"),
    }
    assert listed(portal, "contacts", "companies", prefix) == {
        (HD, 1, "Primary"),
        (HD, 279, None),
        (HD, 931, "Billing contact"),
    }


@pytest.mark.parametrize("prefix", PREFIXES)
def test_single_labels_through_the_record_api(portal: Portal, prefix: str) -> None:
    [friend] = create_label(portal, "contacts", "contacts", "friend", "Friend", prefix=prefix)
    billing = create_label(portal, "contacts", "companies", "billing", "Billing", prefix=prefix)
    forward, backward = sorted(r["typeId"] for r in billing)
    a, b = portal.create_records("contacts", 2)
    [co] = portal.create_records("companies", 1)

    assert put_labels(portal, "contacts", a, "contacts", b, [spec(friend["typeId"], UD)]).json()[
        "labels"
    ] == ["Friend"]
    assert seen_both_ways(portal, "contacts", a, "contacts", b) == (
        {(HD, 449, None), (UD, friend["typeId"], "Friend")},
        {(HD, 449, None), (UD, friend["typeId"], "Friend")},
    )
    response = batch_create(portal, "companies", "contacts", [(co, a, [spec(backward, UD)])])
    assert response.status_code == 201, response.text
    assert seen_both_ways(portal, "contacts", a, "companies", co) == (
        {(HD, 279, None), (UD, forward, "Billing")},
        {(HD, 280, None), (UD, backward, "Billing")},
    )
    # A single label keeps one text both ways when relabelled without inverseLabel.
    relabel = {"associationTypeId": backward, "label": "Invoiced"}
    assert portal.put(labels_url("companies", "contacts", prefix), json=relabel).status_code == 204
    assert seen_both_ways(portal, "contacts", a, "companies", co) == (
        {(HD, 279, None), (UD, forward, "Invoiced")},
        {(HD, 280, None), (UD, backward, "Invoiced")},
    )


def test_a_label_from_another_pair_is_refused_on_records(portal: Portal) -> None:
    created = create_label(portal, "contacts", "deals", "champion", "Champion", "Championed by")
    ids = type_ids(created)
    [c] = portal.create_records("contacts", 1)
    [co] = portal.create_records("companies", 1)
    response = put_labels(portal, "contacts", c, "companies", co, [spec(ids["Champion"], UD)])
    assert response.status_code == 400
    assert response.json()["context"]["INVALID_OBJECT_IDS"] == [f"DEAL={co} is not valid"]
    # The reverse direction's id on the forward path is refused too.
    reverse = put_labels(portal, "contacts", c, "companies", co, [spec(ids["Championed by"], UD)])
    assert reverse.status_code == 400


def test_labels_of_another_portal_are_unknown(portal: Portal, other_portal: Portal) -> None:
    created = create_label(other_portal, "contacts", "companies", "decider", "Decision maker")
    [c] = portal.create_records("contacts", 1)
    [co] = portal.create_records("companies", 1)
    forward = min(r["typeId"] for r in created)
    response = put_labels(portal, "contacts", c, "companies", co, [spec(forward, UD)])
    assert response.status_code == 400
    assert "INVALID_ASSOCIATION_TYPE_ID" in response.json()["context"]


def test_user_defined_279_is_a_label_not_the_unlabeled_type(
    portal: Portal, services: Services
) -> None:
    """A label numbered 279 (contact→company's unlabeled id), as before migration 0008."""
    created = legacy_label(
        portal, "contacts", "companies", "decider", "Decision maker", "Decides", first_id=279
    )
    assert type_ids(created) == {"Decision maker": 279, "Decides": 280}
    [c] = portal.create_records("contacts", 1)
    co1, co2 = portal.create_records("companies", 2)
    assert put_labels(portal, "contacts", c, "companies", co1, [spec(279, UD)]).json()[
        "labels"
    ] == ["Decision maker"]
    assert put_labels(portal, "contacts", c, "companies", co2, [spec(279)]).json()["labels"] == []
    assert seen_both_ways(portal, "contacts", c, "companies", co1) == (
        {(HD, 279, None), (UD, 279, "Decision maker")},
        {(HD, 280, None), (UD, 280, "Decides")},
    )
    # The unlabeled type is listed first, whatever the label's id.
    first = associated_first(portal, c)
    assert first == {"category": HD, "typeId": 279, "label": None}

    # A limit on USER_DEFINED 279 is a label limit: below the unlabeled type's, not it.
    limits = [(HD, 279, 2), (UD, 279, 1)]
    body = {"inputs": [{"category": k, "typeId": t, "maxToObjectIds": m} for k, t, m in limits]}
    response = portal.post(
        "/crm/v4/associations/definitions/configurations/contacts/companies/batch/create", json=body
    )
    assert response.status_code == 201, response.text
    refused = put_labels(portal, "contacts", c, "companies", co2, [spec(279, UD)])
    assert refused.status_code == 400
    assert refused.json()["context"]["associationSpec"] == ["USER_DEFINED=279"]

    # Archiving USER_DEFINED 279 removes the label only; HUBSPOT_DEFINED 279 the whole pair.
    assert (
        archive_labels(portal, "contacts", "companies", [(c, co1, [spec(279, UD)])]).status_code
        == 204
    )
    assert seen_both_ways(portal, "contacts", c, "companies", co1) == (
        {(HD, 279, None)},
        {(HD, 280, None)},
    )
    assert (
        archive_labels(portal, "contacts", "companies", [(c, co1, [spec(279)])]).status_code == 204
    )
    assert int(co1) not in associated(portal, "contacts", c, "companies")
    assert delete_label(portal, "contacts", "companies", 279, PREFIXES[0]).status_code == 204


def associated_first(portal: Portal, contact: str) -> dict[str, Any]:
    response = portal.get(f"/crm/v4/objects/contacts/{contact}/associations/companies")
    first: dict[str, Any] = response.json()["results"][0]["associationTypes"][0]
    return first
