"""The official SDK's ``crm.associations.v4.basic_api`` against a real hubgraph server."""

from __future__ import annotations

from hubspot import Client
from hubspot.crm.associations.v4 import (
    AssociationSpec,
    BatchResponsePublicDefaultAssociation,
    CollectionResponseMultiAssociatedObjectWithLabelForwardPaging,
    LabelsBetweenObjectPair,
)

from tests.support.sdk import create_records


def types_of(sdk: Client, from_type: str, from_id: str, to_type: str) -> dict[str, set[int]]:
    """toObjectId (the SDK makes it a str) → typeIds."""
    page = sdk.crm.associations.v4.basic_api.get_page(from_type, from_id, to_type)
    return {r.to_object_id: {t.type_id for t in r.association_types} for r in page.results}


def test_create_default_parses_both_directions(sdk: Client) -> None:
    [contact] = create_records(sdk, "contacts", 1)
    [company] = create_records(sdk, "companies", 1)
    response = sdk.crm.associations.v4.basic_api.create_default(
        "contacts", contact, "companies", company
    )
    assert isinstance(response, BatchResponsePublicDefaultAssociation)
    got = {(r._from.id, r.to.id, r.association_spec.association_type_id) for r in response.results}
    assert got == {(contact, company, 279), (company, contact, 280)}


def test_create_parses_labels_between_object_pair(sdk: Client) -> None:
    [contact] = create_records(sdk, "contacts", 1)
    [company] = create_records(sdk, "companies", 1)
    response = sdk.crm.associations.v4.basic_api.create(
        "contacts",
        contact,
        "companies",
        company,
        [AssociationSpec(association_category="HUBSPOT_DEFINED", association_type_id=1)],
    )
    assert isinstance(response, LabelsBetweenObjectPair)
    assert response.from_object_type_id == "0-1"
    assert response.to_object_type_id == "0-2"
    assert str(response.from_object_id) == contact
    assert str(response.to_object_id) == company
    assert response.labels == ["Primary"]
    assert types_of(sdk, "companies", company, "contacts") == {contact: {280, 2}}


def test_get_page_follows_the_cursor(sdk: Client) -> None:
    [contact] = create_records(sdk, "contacts", 1)
    companies = create_records(sdk, "companies", 3)
    for company in companies:
        sdk.crm.associations.v4.basic_api.create_default("contacts", contact, "companies", company)
    seen: list[str] = []
    after = None
    while True:
        page = sdk.crm.associations.v4.basic_api.get_page(
            "contacts", contact, "companies", limit=2, after=after
        )
        assert isinstance(page, CollectionResponseMultiAssociatedObjectWithLabelForwardPaging)
        seen += [str(r.to_object_id) for r in page.results]
        if page.paging is None:
            break
        after = page.paging.next.after
    assert seen == companies
    [first] = sdk.crm.associations.v4.basic_api.get_page(
        "contacts", contact, "companies", limit=1
    ).results
    assert [(t.category, t.type_id, t.label) for t in first.association_types] == [
        ("HUBSPOT_DEFINED", 279, None)
    ]


def test_archive_removes_both_directions(sdk: Client) -> None:
    [contact] = create_records(sdk, "contacts", 1)
    [company] = create_records(sdk, "companies", 1)
    sdk.crm.associations.v4.basic_api.create_default("contacts", contact, "companies", company)
    result = sdk.crm.associations.v4.basic_api.archive("contacts", contact, "companies", company)
    assert result is None  # 204: the SDK's map for archive is empty
    assert types_of(sdk, "contacts", contact, "companies") == {}
    assert types_of(sdk, "companies", company, "contacts") == {}
