"""The official SDK's ``crm.associations.v4.batch_api`` (create, read, archive, labels)."""

from __future__ import annotations

import pytest
from hubspot import Client
from hubspot.crm.associations.v4 import (
    AssociationSpec,
    BatchInputPublicAssociationMultiArchive,
    BatchInputPublicAssociationMultiPost,
    BatchInputPublicFetchAssociationsBatchRequest,
    BatchResponseLabelsBetweenObjectPair,
    BatchResponseLabelsBetweenObjectPairWithErrors,
    BatchResponsePublicAssociationMultiWithLabel,
    BatchResponsePublicAssociationMultiWithLabelWithErrors,
    PublicAssociationMultiArchive,
    PublicAssociationMultiPost,
    PublicFetchAssociationsBatchRequest,
)
from hubspot.crm.associations.v4.exceptions import ApiException

from tests.support.sdk import create_records

BILLING = AssociationSpec(association_category="HUBSPOT_DEFINED", association_type_id=931)
UNLABELED = AssociationSpec(association_category="HUBSPOT_DEFINED", association_type_id=279)


def post(from_id: str, to_id: str, *types: AssociationSpec) -> PublicAssociationMultiPost:
    return PublicAssociationMultiPost(_from={"id": from_id}, to={"id": to_id}, types=list(types))


def read(sdk: Client, *ids: str) -> object:
    batch = BatchInputPublicFetchAssociationsBatchRequest(
        inputs=[PublicFetchAssociationsBatchRequest(id=i) for i in ids]
    )
    return sdk.crm.associations.v4.batch_api.get_page("contacts", "companies", batch)


def test_create_parses_201_and_207(sdk: Client) -> None:
    [contact] = create_records(sdk, "contacts", 1)
    [company] = create_records(sdk, "companies", 1)
    ok = sdk.crm.associations.v4.batch_api.create(
        "contacts",
        "companies",
        BatchInputPublicAssociationMultiPost(inputs=[post(contact, company, BILLING)]),
    )
    assert isinstance(ok, BatchResponseLabelsBetweenObjectPair)
    assert [(str(r.from_object_id), r.labels) for r in ok.results] == [
        (contact, ["Billing contact"]),
        (company, ["Billing contact"]),
    ]
    partial = sdk.crm.associations.v4.batch_api.create(
        "contacts",
        "companies",
        BatchInputPublicAssociationMultiPost(
            inputs=[post(contact, company, BILLING), post(contact, "424242424242", BILLING)]
        ),
    )
    assert isinstance(partial, BatchResponseLabelsBetweenObjectPairWithErrors)
    assert partial.num_errors == 1
    assert partial.errors[0].category == "VALIDATION_ERROR"


def test_get_page_parses_200_and_207(sdk: Client) -> None:
    with_one, without = create_records(sdk, "contacts", 2)
    [company] = create_records(sdk, "companies", 1)
    sdk.crm.associations.v4.basic_api.create_default("contacts", with_one, "companies", company)
    ok = read(sdk, with_one)
    assert isinstance(ok, BatchResponsePublicAssociationMultiWithLabel)
    [result] = ok.results
    assert result._from.id == with_one
    assert [str(t.to_object_id) for t in result.to] == [company]
    assert result.to[0].association_types[0].type_id == 279
    partial = read(sdk, with_one, without)
    assert isinstance(partial, BatchResponsePublicAssociationMultiWithLabelWithErrors)
    assert partial.errors[0].sub_category == "crm.associations.NO_ASSOCIATIONS_FOUND"


def test_archive_and_archive_labels(sdk: Client) -> None:
    [contact] = create_records(sdk, "contacts", 1)
    a, b = create_records(sdk, "companies", 2)
    batch_api = sdk.crm.associations.v4.batch_api
    batch_api.create(
        "contacts",
        "companies",
        BatchInputPublicAssociationMultiPost(inputs=[post(contact, a, BILLING), post(contact, b)]),
    )
    result = batch_api.archive_labels(
        "contacts",
        "companies",
        BatchInputPublicAssociationMultiPost(inputs=[post(contact, a, BILLING)]),
    )
    assert result is None  # 204
    [page] = read(sdk, contact).results
    assert {(str(t.to_object_id), len(t.association_types)) for t in page.to} == {(a, 1), (b, 1)}
    batch_api.archive(
        "contacts",
        "companies",
        BatchInputPublicAssociationMultiArchive(
            inputs=[PublicAssociationMultiArchive(_from={"id": contact}, to=[{"id": a}, {"id": b}])]
        ),
    )
    assert read(sdk, contact).results == []


def test_too_many_inputs_raise(sdk: Client) -> None:
    batch = BatchInputPublicFetchAssociationsBatchRequest(
        inputs=[PublicFetchAssociationsBatchRequest(id=str(i)) for i in range(1, 1002)]
    )
    with pytest.raises(ApiException) as info:
        sdk.crm.associations.v4.batch_api.get_page("contacts", "companies", batch)
    assert info.value.status == 400
