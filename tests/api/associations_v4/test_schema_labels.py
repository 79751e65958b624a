"""``/crm/{associations/v4 | v4/associations}/{from}/{to}/labels``: association labels."""

from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient

from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.domain.association_types import Category
from hubgraph.domain.label_type_ids import reserved_type_ids
from hubgraph.services.associations.definitions import portal_association_types
from hubgraph.services.context import Services
from tests.support.association_schema import (
    PREFIXES,
    create_label,
    labels_url,
    listed,
    set_limits,
    store_labelled,
)
from tests.support.portals import Portal, new_portal

HD, UD = "HUBSPOT_DEFINED", "USER_DEFINED"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_hubspot_defined_types_are_listed_with_their_labels(portal: Portal, prefix: str) -> None:
    assert listed(portal, "contacts", "companies", prefix) == {
        (HD, 1, "Primary"),
        (HD, 279, None),
        (HD, 931, "Billing contact"),
    }
    assert (HD, 280, None) in listed(portal, "companies", "contacts", prefix)
    assert listed(portal, "contacts", "deals", prefix) == {(HD, 4, None)}


def test_list_is_ordered_by_type_id_and_unlabeled_is_null(portal: Portal) -> None:
    results = portal.get(labels_url("contacts", "companies")).json()["results"]
    assert [r["typeId"] for r in results] == [1, 279, 931]
    assert results[1] == {"category": HD, "typeId": 279, "label": None}


@pytest.mark.parametrize("prefix", PREFIXES)
def test_paired_label_gets_one_type_per_direction(portal: Portal, prefix: str) -> None:
    created = create_label(portal, "contacts", "companies", "manager", "Manager", "Managed", prefix)
    assert [r["category"] for r in created] == [UD, UD]
    by_label = {r["label"]: r["typeId"] for r in created}
    forward, backward = by_label["Manager"], by_label["Managed"]
    assert backward == forward + 1
    assert (UD, forward, "Manager") in listed(portal, "contacts", "companies", prefix)
    assert (UD, backward, "Managed") in listed(portal, "companies", "contacts", prefix)
    assert (UD, backward, "Managed") not in listed(portal, "contacts", "companies", prefix)


def test_single_label_between_different_objects_has_two_ids_with_one_text(portal: Portal) -> None:
    created = create_label(portal, "deals", "contacts", "point_of_contact", "Point of contact")
    assert sorted(r["label"] for r in created) == ["Point of contact", "Point of contact"]
    forward, backward = sorted(r["typeId"] for r in created)
    assert (UD, forward, "Point of contact") in listed(portal, "deals", "contacts")
    assert (UD, backward, "Point of contact") in listed(portal, "contacts", "deals")


def test_single_label_on_a_same_object_pair_is_one_symmetric_type(
    portal: Portal, services: Services
) -> None:
    [created] = create_label(portal, "contacts", "contacts", "friend", "Friend")
    type_id = created["typeId"]
    assert (UD, type_id, "Friend") in listed(portal, "contacts", "contacts")
    with services.database.read() as conn:
        t = portal_association_types(services, conn, portal.id).get(Category.USER_DEFINED, type_id)
    assert t is not None
    assert t.inverse_type_id == type_id


def test_paired_label_on_a_same_object_pair_lists_both_directions(portal: Portal) -> None:
    created = create_label(portal, "contacts", "contacts", "manager", "Manager", "Employee")
    # HubSpot's docs list the inverse (the higher id) first.
    assert [r["label"] for r in created] == ["Employee", "Manager"]
    manager, employee = created[1]["typeId"], created[0]["typeId"]
    assert employee == manager + 1
    assert {(UD, manager, "Manager"), (UD, employee, "Employee")} <= listed(
        portal, "contacts", "contacts"
    )


def test_ids_are_per_portal_and_never_a_hubspot_defined_id(
    portal: Portal, other_portal: Portal
) -> None:
    """Issue 13: a first label used to get 1, HubSpot's Primary; now HubSpot's ids are skipped."""
    [first] = create_label(portal, "contacts", "contacts", "friend", "Friend")
    [elsewhere] = create_label(other_portal, "contacts", "contacts", "buddy", "Buddy")
    assert first["typeId"] == elsewhere["typeId"] == 7  # 1-6 are HubSpot's
    created = create_label(portal, "contacts", "companies", "owner", "Owner", "Owned by")
    ids = sorted(r["typeId"] for r in created)
    assert ids == [8, 9]  # the portal's next two, consecutive, as HubSpot pairs them
    assert not set(ids) & reserved_type_ids()
    assert (UD, 9, "Owned by") in listed(portal, "companies", "contacts")
    assert (UD, 7, "Buddy") not in listed(portal, "contacts", "contacts")
    # Further along, a pair skips past a run that holds a HubSpot-defined id (13-16).
    for n in range(2):
        create_label(portal, "deals", "companies", f"l{n}", f"L{n}", f"I{n}")  # 10/11, 17/18
    later = sorted(r["typeId"] for r in create_label(portal, "deals", "companies", "x", "X", "Y"))
    assert later == [21, 22]


def test_labels_of_one_portal_are_invisible_to_another(
    portal: Portal, other_portal: Portal
) -> None:
    create_label(portal, "contacts", "companies", "manager", "Manager")
    assert {c for c, _, _ in listed(other_portal, "contacts", "companies")} == {HD}


def test_labels_are_seen_through_the_portal_types_in_both_directions(
    portal: Portal, services: Services
) -> None:
    """Every record endpoint looks types up through PortalAssociationTypes."""
    created = create_label(
        portal, "contacts", "companies", "decider", "Decision maker", "Decided by"
    )
    forward = next(r["typeId"] for r in created if r["label"] == "Decision maker")
    with services.database.read() as conn:
        types = portal_association_types(services, conn, portal.id)
    t = types.get(Category.USER_DEFINED, forward)
    assert t is not None
    assert (t.from_type, t.to_type, t.label) == ("0-1", "0-2", "Decision maker")
    back = types.inverse_of(t)
    assert (back.category, back.from_type, back.to_type, back.label) == (
        Category.USER_DEFINED,
        "0-2",
        "0-1",
        "Decided by",
    )
    assert types.inverse_of(back) == t
    assert t in types.for_pair("0-1", "0-2")
    assert back in types.for_pair("0-2", "0-1")
    # A fresh portal's first label is not numbered like any HubSpot-defined type.
    assert forward not in reserved_type_ids()
    primary = types.get(Category.HUBSPOT_DEFINED, 1)
    assert primary is not None
    assert primary.label == "Primary"


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("has-hyphen", "hyphens"),
        ("9lives", "digit"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_invalid_names_are_400(portal: Portal, name: str, fragment: str) -> None:
    response = portal.post(labels_url("contacts", "companies"), json={"name": name, "label": "X"})
    assert response.status_code == 400
    body = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert fragment in body["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"label": "No name"},
        {"name": "no_label"},
        {"name": "blank", "label": " "},
        {"name": "blank_inverse", "label": "A", "inverseLabel": ""},
        {"name": 5, "label": ["x"]},
    ],
)
def test_bad_create_bodies_are_400(portal: Portal, body: dict) -> None:  # type: ignore[type-arg]
    response = portal.post(labels_url("contacts", "companies"), json=body)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_a_name_is_used_once_per_object_pair(portal: Portal) -> None:
    create_label(portal, "contacts", "companies", "manager", "Manager")
    again = portal.post(
        labels_url("companies", "contacts"), json={"name": "manager", "label": "Other"}
    )
    assert again.status_code == 400
    assert "manager" in again.json()["message"]
    create_label(portal, "contacts", "deals", "manager", "Manager")


def test_labels_need_a_pair_records_can_be_associated_in(portal: Portal) -> None:
    response = portal.post(labels_url("products", "contacts"), json={"name": "x", "label": "X"})
    assert response.status_code == 400
    unknown = portal.post(labels_url("contacts", "widgets"), json={"name": "x", "label": "X"})
    assert unknown.status_code == 400
    assert unknown.json()["message"] == "Unable to infer object type from: widgets"


def test_at_most_ten_labels_per_object_pair(portal: Portal) -> None:
    for i in range(9):
        create_label(portal, "contacts", "companies", f"label_{i}", f"Label {i}")
    # A paired label is one label, whichever side of the pair created it.
    create_label(portal, "companies", "contacts", "paired", "Paired", "Inverse")
    response = portal.post(
        labels_url("contacts", "companies"), json={"name": "eleventh", "label": "Eleventh"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert "at most 10" in body["message"]
    # Other pairs have their own allowance, and deleting frees a slot.
    create_label(portal, "contacts", "deals", "eleventh", "Eleventh")
    first = next(
        t
        for c, t, label in listed(portal, "contacts", "companies")
        if label == "Label 0" and c == UD
    )
    assert portal.delete(labels_url("contacts", "companies") + f"/{first}").status_code == 204
    create_label(portal, "contacts", "companies", "eleventh", "Eleventh")


def test_the_label_cap_is_a_setting(services: Services) -> None:
    settings = Settings(database_url=services.settings.database_url, max_labels_per_object_pair=1)
    capped = dataclasses.replace(services, settings=settings)
    with TestClient(create_app(settings, capped)) as client:
        small = new_portal(capped, client)
        create_label(small, "contacts", "contacts", "one", "One")
        response = small.post(
            labels_url("contacts", "contacts"), json={"name": "two", "label": "2"}
        )
        assert response.status_code == 400
        assert "at most 1 " in response.json()["message"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_update_changes_the_text_in_both_directions(portal: Portal, prefix: str) -> None:
    created = create_label(portal, "contacts", "companies", "manager", "Manager", "Managed")
    forward = next(r["typeId"] for r in created if r["label"] == "Manager")
    backward = next(r["typeId"] for r in created if r["label"] == "Managed")
    response = portal.put(
        labels_url("contacts", "companies", prefix),
        json={"associationTypeId": forward, "label": "Boss", "inverseLabel": "Reports"},
    )
    assert response.status_code == 204
    assert response.content == b""
    assert (UD, forward, "Boss") in listed(portal, "contacts", "companies")
    assert (UD, backward, "Reports") in listed(portal, "companies", "contacts")
    # Without inverseLabel, a paired label keeps its other side.
    portal.put(
        labels_url("contacts", "companies"), json={"associationTypeId": forward, "label": "Chief"}
    )
    assert (UD, backward, "Reports") in listed(portal, "companies", "contacts")


def test_update_of_a_single_label_keeps_one_text_both_ways(portal: Portal) -> None:
    created = create_label(portal, "deals", "contacts", "poc", "Point of contact")
    forward, backward = sorted(r["typeId"] for r in created)
    response = portal.put(
        labels_url("deals", "contacts"), json={"associationTypeId": forward, "label": "Champion"}
    )
    assert response.status_code == 204
    assert (UD, forward, "Champion") in listed(portal, "deals", "contacts")
    assert (UD, backward, "Champion") in listed(portal, "contacts", "deals")


def test_update_of_a_symmetric_label_cannot_add_an_inverse(portal: Portal) -> None:
    [created] = create_label(portal, "contacts", "contacts", "friend", "Friend")
    body = {"associationTypeId": created["typeId"], "label": "Pal", "inverseLabel": "Other"}
    assert portal.put(labels_url("contacts", "contacts"), json=body).status_code == 400
    body = {"associationTypeId": created["typeId"], "label": "Pal"}
    assert portal.put(labels_url("contacts", "contacts"), json=body).status_code == 204
    assert (UD, created["typeId"], "Pal") in listed(portal, "contacts", "contacts")


@pytest.mark.parametrize("type_id", [279, 1, 931])
def test_hubspot_defined_types_cannot_be_changed_or_deleted(portal: Portal, type_id: int) -> None:
    put = portal.put(
        labels_url("contacts", "companies"), json={"associationTypeId": type_id, "label": "Mine"}
    )
    assert put.status_code == 400
    assert "HubSpot-defined" in put.json()["message"]
    deleted = portal.delete(labels_url("contacts", "companies") + f"/{type_id}")
    assert deleted.status_code == 400
    assert "HubSpot-defined" in deleted.json()["message"]
    hubspot_ids = {t for c, t, _ in listed(portal, "contacts", "companies") if c == HD}
    assert hubspot_ids == {1, 279, 931}


def test_unknown_type_ids_are_400(portal: Portal) -> None:
    response = portal.delete(labels_url("contacts", "companies") + "/777")
    assert response.status_code == 400
    assert response.json()["context"]["INVALID_ASSOCIATION_TYPE_ID"] == [
        "USER_DEFINED=777 is not a valid association definition id"
    ]
    put = portal.put(
        labels_url("contacts", "companies"), json={"associationTypeId": 777, "label": "X"}
    )
    assert put.status_code == 400
    assert portal.delete(labels_url("contacts", "companies") + "/abc").status_code == 400


def test_a_label_of_another_pair_is_not_found_on_this_one(portal: Portal) -> None:
    [friend] = create_label(portal, "contacts", "contacts", "friend", "Friend")
    response = portal.delete(labels_url("contacts", "companies") + f"/{friend['typeId']}")
    assert response.status_code == 400
    assert (UD, friend["typeId"], "Friend") in listed(portal, "contacts", "contacts")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_delete_removes_both_directions(portal: Portal, prefix: str) -> None:
    created = create_label(portal, "contacts", "companies", "manager", "Manager", "Managed")
    forward = next(r["typeId"] for r in created if r["label"] == "Manager")
    response = portal.delete(labels_url("contacts", "companies", prefix) + f"/{forward}")
    assert response.status_code == 204
    assert response.content == b""
    assert {c for c, _, _ in listed(portal, "contacts", "companies")} == {HD}
    assert {c for c, _, _ in listed(portal, "companies", "contacts")} == {HD}


def test_delete_by_the_inverse_id_from_the_same_pair_path(portal: Portal) -> None:
    created = create_label(portal, "contacts", "companies", "manager", "Manager", "Managed")
    backward = next(r["typeId"] for r in created if r["label"] == "Managed")
    response = portal.delete(labels_url("contacts", "companies") + f"/{backward}")
    assert response.status_code == 204
    assert {c for c, _, _ in listed(portal, "companies", "contacts")} == {HD}


def test_deleted_ids_are_never_handed_out_again(portal: Portal) -> None:
    [first] = create_label(portal, "contacts", "contacts", "friend", "Friend")
    assert (
        portal.delete(labels_url("contacts", "contacts") + f"/{first['typeId']}").status_code == 204
    )
    [second] = create_label(portal, "contacts", "contacts", "friend", "Friend")
    assert second["typeId"] > first["typeId"]


def test_a_label_in_use_cannot_be_deleted(portal: Portal, services: Services) -> None:
    created = create_label(portal, "contacts", "companies", "manager", "Manager", "Managed")
    forward = next(r["typeId"] for r in created if r["label"] == "Manager")
    backward = next(r["typeId"] for r in created if r["label"] == "Managed")
    [c] = portal.create_records("contacts", 1)
    [co] = portal.create_records("companies", 1)
    store_labelled(
        services, portal, [("0-1", c, "0-2", co, forward), ("0-2", co, "0-1", c, backward)]
    )
    response = portal.delete(labels_url("companies", "contacts") + f"/{backward}")
    assert response.status_code == 400
    body = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert "still used by associations" in body["message"]
    assert "'Managed'" in body["message"]
    assert (UD, forward, "Manager") in listed(portal, "contacts", "companies")


def test_deleting_a_label_removes_its_limits(portal: Portal) -> None:
    created = create_label(portal, "contacts", "companies", "manager", "Manager")
    forward, backward = sorted(r["typeId"] for r in created)
    assert set_limits(portal, "contacts", "companies", [(UD, forward, 3)]).status_code == 201
    assert set_limits(portal, "companies", "contacts", [(UD, backward, 4)]).status_code == 201
    assert portal.delete(labels_url("contacts", "companies") + f"/{forward}").status_code == 204
    assert portal.get("/crm/v4/associations/definitions/configurations/all").json() == {
        "results": []
    }


def test_reading_labels_needs_a_read_scope_of_the_from_type(
    services: Services, client: TestClient
) -> None:
    reader = new_portal(services, client, scopes=["crm.objects.contacts.read"])
    assert reader.get(labels_url("contacts", "companies")).status_code == 200
    response = reader.get(labels_url("companies", "contacts"))
    assert response.status_code == 403
    assert response.json()["category"] == "MISSING_SCOPES"


def test_writing_labels_needs_a_write_scope_of_either_side(
    services: Services, client: TestClient
) -> None:
    reader = new_portal(services, client, scopes=["crm.objects.contacts.read"])
    response = reader.post(labels_url("contacts", "companies"), json={"name": "x", "label": "X"})
    assert response.status_code == 403
    required = response.json()["errors"][0]["context"]["requiredGranularScopes"]
    assert {"crm.objects.contacts.write", "crm.objects.companies.write"} <= set(required)
    for verb in ("put", "delete"):
        path = labels_url("contacts", "companies") + ("/5" if verb == "delete" else "")
        kwargs = {"json": {"associationTypeId": 5, "label": "x"}} if verb == "put" else {}
        assert getattr(reader, verb)(path, **kwargs).status_code == 403
    writer = new_portal(services, client, scopes=["crm.objects.companies.write"])
    create_label(writer, "contacts", "companies", "x", "X")


def test_label_routes_leave_the_record_batch_routes_alone(portal: Portal) -> None:
    [c] = portal.create_records("contacts", 1)
    [co] = portal.create_records("companies", 1)
    create_label(portal, "contacts", "companies", "manager", "Manager")
    response = portal.post(
        "/crm/v4/associations/contacts/companies/batch/associate/default",
        json={"inputs": [{"from": {"id": c}, "to": {"id": co}}]},
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
