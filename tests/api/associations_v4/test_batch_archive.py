"""POST .../batch/archive and .../batch/labels/archive"""

from __future__ import annotations

from typing import Any

import pytest

from hubgraph.services.context import Services
from tests.support.associations_v4 import (
    add_label,
    associated,
    put_default,
    put_labels,
    spec,
    with_scopes,
)
from tests.support.portals import Portal

ARCHIVE = "/crm/v4/associations/{}/{}/batch/archive"
LABELS_ARCHIVE = "/crm/v4/associations/{}/{}/batch/labels/archive"
UNLABELED = ("HUBSPOT_DEFINED", 279, None)
UNLABELED_BACK = ("HUBSPOT_DEFINED", 280, None)


def archive(
    portal: Portal, *inputs: dict[str, Any], path: tuple[str, str] = ("contacts", "companies")
) -> Any:
    return portal.post(ARCHIVE.format(*path), json={"inputs": list(inputs)})


def archive_labels(
    portal: Portal, *inputs: dict[str, Any], path: tuple[str, str] = ("contacts", "companies")
) -> Any:
    return portal.post(LABELS_ARCHIVE.format(*path), json={"inputs": list(inputs)})


def labelled(from_id: str, to_id: str, *types: dict[str, Any]) -> dict[str, Any]:
    return {"from": {"id": from_id}, "to": {"id": to_id}, "types": list(types)}


@pytest.fixture
def labels(portal: Portal, services: Services) -> None:
    add_label(services, portal, "0-1", "0-2", 31, "Decision maker", 32, "Decides for")


def test_archive_removes_every_type_of_each_listed_pair_both_directions(
    portal: Portal, services: Services
) -> None:
    add_label(services, portal, "0-1", "0-2", 31, "Decision maker")
    first, second = portal.create_records("contacts", 2)
    a, b, c = portal.create_records("companies", 3)
    for company in (a, b, c):
        put_labels(portal, "contacts", first, "companies", company, [spec(31, "USER_DEFINED")])
    put_default(portal, "contacts", second, "companies", a)
    response = archive(
        portal,
        {"from": {"id": first}, "to": [{"id": a}, {"id": b}]},
        {"from": {"id": second}, "to": [{"id": a}, {"id": "424242424242"}]},
    )
    assert response.status_code == 204
    assert response.content == b""
    assert set(associated(portal, "contacts", first, "companies")) == {int(c)}
    assert associated(portal, "contacts", second, "companies") == {}
    assert associated(portal, "companies", a, "contacts") == {}
    assert associated(portal, "companies", b, "contacts") == {}
    assert set(associated(portal, "companies", c, "contacts")) == {int(first)}


def test_archive_is_idempotent(portal: Portal) -> None:
    body = {"from": {"id": "1"}, "to": [{"id": "2"}]}
    assert archive(portal, body).status_code == 204
    assert archive(portal, body, path=("companies", "contacts")).status_code == 204


@pytest.mark.usefixtures("labels")
def test_labels_archive_removes_only_the_listed_types(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    put_labels(
        portal, "contacts", contact, "companies", company, [spec(1), spec(31, "USER_DEFINED")]
    )
    response = archive_labels(portal, labelled(contact, company, spec(31, "USER_DEFINED")))
    assert response.status_code == 204
    assert associated(portal, "contacts", contact, "companies") == {
        int(company): {UNLABELED, ("HUBSPOT_DEFINED", 1, "Primary")}
    }
    assert associated(portal, "companies", company, "contacts") == {
        int(contact): {UNLABELED_BACK, ("HUBSPOT_DEFINED", 2, "Primary")}
    }


@pytest.mark.usefixtures("labels")
def test_labels_archive_of_the_unlabeled_type_removes_the_whole_pair(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    kept, gone = portal.create_records("companies", 2)
    for company in (kept, gone):
        put_labels(portal, "contacts", contact, "companies", company, [spec(31, "USER_DEFINED")])
    assert archive_labels(portal, labelled(contact, gone, spec(279))).status_code == 204
    assert set(associated(portal, "contacts", contact, "companies")) == {int(kept)}
    assert associated(portal, "companies", gone, "contacts") == {}


def test_labels_archive_from_the_other_side(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    put_labels(portal, "contacts", contact, "companies", company, [spec(931)])
    response = archive_labels(
        portal, labelled(company, contact, spec(930)), path=("companies", "contacts")
    )
    assert response.status_code == 204
    assert associated(portal, "contacts", contact, "companies") == {int(company): {UNLABELED}}


@pytest.mark.parametrize("bad", [spec(3, "USER_DEFINED"), spec(280)])
def test_labels_archive_of_a_type_that_does_not_fit_is_a_400(
    portal: Portal, bad: dict[str, Any]
) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    put_labels(portal, "contacts", contact, "companies", company, [spec(931)])
    response = archive_labels(
        portal, labelled(contact, company, spec(931)), labelled(contact, company, bad)
    )
    assert response.status_code == 400
    assert response.json()["message"] == "One or more associations are invalid"
    # nothing was removed
    assert ("HUBSPOT_DEFINED", 931, "Billing contact") in associated(
        portal, "contacts", contact, "companies"
    )[int(company)]


def test_2001_inputs_are_refused(portal: Portal) -> None:
    inputs = [{"from": {"id": "1"}, "to": [{"id": str(i)}]} for i in range(1, 2002)]
    assert archive(portal, *inputs[:2000]).status_code == 204
    response = archive(portal, *inputs)
    assert response.status_code == 400
    assert "maximum number of inputs supported in a batch is 2000" in response.json()["message"]
    labelled_inputs = [labelled("1", str(i), spec(279)) for i in range(1, 2002)]
    assert archive_labels(portal, *labelled_inputs[:2000]).status_code == 204
    assert archive_labels(portal, *labelled_inputs).status_code == 400


def test_both_need_a_write_scope(portal: Portal, services: Services) -> None:
    reader = with_scopes(services, portal, ["crm.objects.contacts.read"])
    assert archive(reader, {"from": {"id": "1"}, "to": [{"id": "2"}]}).status_code == 403
    assert archive_labels(reader, labelled("1", "2", spec(279))).status_code == 403


def test_archive_needs_to_as_an_array(portal: Portal) -> None:
    response = archive(portal, {"from": {"id": "1"}, "to": {"id": "2"}})
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
