"""PUT /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}"""

from __future__ import annotations

import pytest

from hubgraph.domain.association_types import Category
from hubgraph.services.context import Services
from tests.support.associations_v4 import (
    add_label,
    add_limit,
    associated,
    put_labels,
    spec,
    with_scopes,
)
from tests.support.portals import Portal

UNLABELED = ("HUBSPOT_DEFINED", 279, None)
UNLABELED_BACK = ("HUBSPOT_DEFINED", 280, None)


@pytest.fixture
def pair(portal: Portal) -> tuple[str, str]:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    return contact, company


@pytest.fixture
def labels(portal: Portal, services: Services) -> None:
    add_label(services, portal, "0-1", "0-2", 31, "Decision maker", 32, "Decides for")
    add_label(services, portal, "0-1", "0-2", 33, "Billing", 34, "Billed")


def test_returns_201_labels_between_object_pair(portal: Portal, pair: tuple[str, str]) -> None:
    contact, company = pair
    response = put_labels(portal, "contacts", contact, "companies", company, [spec(931)])
    assert response.status_code == 201
    assert response.json() == {
        "fromObjectTypeId": "0-1",
        "fromObjectId": int(contact),
        "toObjectTypeId": "0-2",
        "toObjectId": int(company),
        "labels": ["Billing contact"],
    }


def test_unlabeled_only_gives_no_labels(portal: Portal, pair: tuple[str, str]) -> None:
    contact, company = pair
    response = put_labels(portal, "contact", contact, "0-2", company, [spec(279)])
    assert response.status_code == 201
    assert response.json()["labels"] == []
    assert associated(portal, "contacts", contact, "companies") == {int(company): {UNLABELED}}


@pytest.mark.usefixtures("labels")
def test_user_label_in_both_directions_with_the_unlabeled_type(
    portal: Portal, pair: tuple[str, str]
) -> None:
    contact, company = pair
    response = put_labels(
        portal, "contacts", contact, "companies", company, [spec(31, "USER_DEFINED")]
    )
    assert response.status_code == 201
    assert response.json()["labels"] == ["Decision maker"]
    assert associated(portal, "contacts", contact, "companies") == {
        int(company): {UNLABELED, ("USER_DEFINED", 31, "Decision maker")}
    }
    assert associated(portal, "companies", company, "contacts") == {
        int(contact): {UNLABELED_BACK, ("USER_DEFINED", 32, "Decides for")}
    }


@pytest.mark.usefixtures("labels")
def test_the_list_sent_replaces_the_labels(portal: Portal, pair: tuple[str, str]) -> None:
    contact, company = pair
    put = lambda specs: put_labels(portal, "contacts", contact, "companies", company, specs)  # noqa: E731
    assert put([spec(31, "USER_DEFINED")]).status_code == 201
    # replace: send only the new one
    assert put([spec(33, "USER_DEFINED")]).json()["labels"] == ["Billing"]
    assert associated(portal, "contacts", contact, "companies")[int(company)] == {
        UNLABELED,
        ("USER_DEFINED", 33, "Billing"),
    }
    assert associated(portal, "companies", company, "contacts")[int(contact)] == {
        UNLABELED_BACK,
        ("USER_DEFINED", 34, "Billed"),
    }
    # keep one and add another: send both
    both = put([spec(33, "USER_DEFINED"), spec(31, "USER_DEFINED")]).json()["labels"]
    assert sorted(both) == ["Billing", "Decision maker"]
    # an empty list leaves the unlabeled type, which always stays
    assert put([]).json()["labels"] == []
    assert associated(portal, "contacts", contact, "companies") == {int(company): {UNLABELED}}
    assert associated(portal, "companies", company, "contacts") == {int(contact): {UNLABELED_BACK}}


def test_user_defined_id_equal_to_a_hubspot_one_is_told_apart_by_category(
    portal: Portal, services: Services, pair: tuple[str, str]
) -> None:
    contact, company = pair
    add_label(services, portal, "0-1", "0-2", 1, "Same number", 2, "Same back")
    response = put_labels(
        portal, "contacts", contact, "companies", company, [spec(1, "USER_DEFINED")]
    )
    assert response.json()["labels"] == ["Same number"]
    assert associated(portal, "contacts", contact, "companies")[int(company)] == {
        UNLABELED,
        ("USER_DEFINED", 1, "Same number"),
    }


def test_a_type_of_another_object_pair_is_a_400(portal: Portal) -> None:
    # hubspot-api-nodejs#646: typeId 1 is contact→company, so the deal id is checked as a CONTACT.
    [deal] = portal.create_records("deals", 1)
    [company] = portal.create_records("companies", 1)
    response = put_labels(portal, "deals", deal, "companies", company, [spec(1)])
    assert response.status_code == 400
    body = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert body["message"] == "One or more associations are invalid"
    assert body["context"]["INVALID_OBJECT_IDS"] == [f"CONTACT={deal} is not valid"]
    assert associated(portal, "deals", deal, "companies") == {}


def test_the_reverse_direction_type_is_a_400(portal: Portal, pair: tuple[str, str]) -> None:
    contact, company = pair
    response = put_labels(portal, "contacts", contact, "companies", company, [spec(280)])
    assert response.status_code == 400
    assert response.json()["context"]["INVALID_OBJECT_IDS"] == [
        f"COMPANY={contact} is not valid",
        f"CONTACT={company} is not valid",
    ]


def test_an_unknown_type_is_a_400(portal: Portal, pair: tuple[str, str]) -> None:
    contact, company = pair
    response = put_labels(
        portal, "contacts", contact, "companies", company, [spec(3, "USER_DEFINED")]
    )
    assert response.status_code == 400
    assert response.json()["context"] == {
        "associationSpec": ["USER_DEFINED=3"],
        "INVALID_ASSOCIATION_TYPE_ID": ["USER_DEFINED=3 is not a valid association definition id"],
    }


def test_a_missing_body_is_a_400_with_hubspots_message(
    portal: Portal, pair: tuple[str, str]
) -> None:
    contact, company = pair
    response = portal.put(f"/crm/v4/objects/contacts/{contact}/associations/companies/{company}")
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Invalid JSON input: a request body was expected, but none found"
    )
    assert response.json()["category"] == "VALIDATION_ERROR"


@pytest.mark.parametrize(
    "body", [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}, [{"x": 1}], "1"]
)
def test_a_body_that_is_not_a_list_of_specs_is_a_400(
    portal: Portal, pair: tuple[str, str], body: object
) -> None:
    contact, company = pair
    response = portal.put(
        f"/crm/v4/objects/contacts/{contact}/associations/companies/{company}", json=body
    )
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_an_archived_record_cannot_be_written(portal: Portal, pair: tuple[str, str]) -> None:
    contact, company = pair
    assert portal.delete(f"/crm/v3/objects/contacts/{contact}").status_code == 204
    response = put_labels(portal, "contacts", contact, "companies", company, [spec(1)])
    assert response.status_code == 400
    assert response.json()["context"]["INVALID_OBJECT_IDS"] == [f"CONTACT={contact} is not valid"]


@pytest.mark.parametrize(
    ("holder", "primary", "default", "back"),
    [("contacts", 1, 279, 280), ("deals", 5, 341, 342), ("tickets", 26, 339, 340)],
)
def test_a_new_primary_company_demotes_the_old_one(
    portal: Portal, holder: str, primary: int, default: int, back: int
) -> None:
    [record] = portal.create_records(holder, 1)
    old, new = portal.create_records("companies", 2)
    assert put_labels(portal, holder, record, "companies", old, [spec(primary)]).status_code == 201
    response = put_labels(portal, holder, record, "companies", new, [spec(primary)])
    assert response.json()["labels"] == ["Primary"]
    got = associated(portal, holder, record, "companies")
    assert got[int(old)] == {("HUBSPOT_DEFINED", default, None)}
    assert ("HUBSPOT_DEFINED", primary, "Primary") in got[int(new)]
    old_back = associated(portal, "companies", old, holder)
    assert old_back == {int(record): {("HUBSPOT_DEFINED", back, None)}}


def test_primary_set_from_the_company_side_demotes_too(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    old, new = portal.create_records("companies", 2)
    assert put_labels(portal, "contacts", contact, "companies", old, [spec(1)]).status_code == 201
    # company→contact "Primary" (typeId 2) makes the company the contact's primary
    response = put_labels(portal, "companies", new, "contacts", contact, [spec(2)])
    assert response.status_code == 201
    got = associated(portal, "contacts", contact, "companies")
    assert got[int(old)] == {UNLABELED}
    assert got[int(new)] == {UNLABELED, ("HUBSPOT_DEFINED", 1, "Primary")}


def test_other_records_keep_their_own_primary(portal: Portal) -> None:
    first, second = portal.create_records("contacts", 2)
    a, b = portal.create_records("companies", 2)
    put_labels(portal, "contacts", first, "companies", a, [spec(1)])
    put_labels(portal, "contacts", second, "companies", b, [spec(1)])
    assert ("HUBSPOT_DEFINED", 1, "Primary") in associated(portal, "contacts", first, "companies")[
        int(a)
    ]


def test_over_a_limit_is_a_400(portal: Portal, services: Services) -> None:
    [contact] = portal.create_records("contacts", 1)
    companies = portal.create_records("companies", 2)
    add_limit(services, portal, "0-1", "0-2", Category.HUBSPOT_DEFINED, 931, 1)
    assert (
        put_labels(portal, "contacts", contact, "companies", companies[0], [spec(931)]).status_code
        == 201
    )
    response = put_labels(portal, "contacts", contact, "companies", companies[1], [spec(931)])
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
    assert response.json()["context"]["associationSpec"] == ["HUBSPOT_DEFINED=931"]
    assert int(companies[1]) not in associated(portal, "contacts", contact, "companies")


def test_needs_a_write_scope(portal: Portal, services: Services, pair: tuple[str, str]) -> None:
    contact, company = pair
    reader = with_scopes(
        services, portal, ["crm.objects.contacts.read", "crm.objects.companies.read"]
    )
    assert put_labels(reader, "contacts", contact, "companies", company, []).status_code == 403
