"""The official SDK's ``crm.objects`` (basic_api, batch_api) and ``crm.contacts`` APIs."""

from __future__ import annotations

import pytest
from hubspot import Client
from hubspot.crm.contacts import SimplePublicObjectWithAssociations
from hubspot.crm.objects import (
    AssociationSpec,
    BatchInputSimplePublicObjectBatchInput,
    BatchInputSimplePublicObjectId,
    BatchReadInputSimplePublicObjectId,
    BatchResponseSimplePublicObject,
    BatchResponseSimplePublicObjectWithErrors,
    PublicAssociationsForObject,
    PublicObjectId,
    SimplePublicObject,
    SimplePublicObjectBatchInput,
    SimplePublicObjectId,
    SimplePublicObjectInput,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.objects.exceptions import ApiException, NotFoundException

from tests.support.sdk import create_records

PRIMARY = AssociationSpec(association_category="HUBSPOT_DEFINED", association_type_id=1)


def test_create_with_associations_then_read_them_through_contacts_api(sdk: Client) -> None:
    [company] = create_records(sdk, "companies", 1)
    created = sdk.crm.objects.basic_api.create(
        "contacts",
        SimplePublicObjectInputForCreate(
            properties={"email": "a@example.com"},
            associations=[
                PublicAssociationsForObject(to=PublicObjectId(id=company), types=[PRIMARY])
            ],
        ),
    )
    assert isinstance(created, SimplePublicObject)
    got = sdk.crm.contacts.basic_api.get_by_id(created.id, associations=["companies"])
    assert isinstance(got, SimplePublicObjectWithAssociations)
    assert got.properties["email"] == "a@example.com"
    entries = got.associations["companies"].results
    assert [(a.id, a.type) for a in entries] == [
        (company, "contact_to_company"),
        (company, "contact_to_company_unlabeled"),
    ]
    page = sdk.crm.contacts.basic_api.get_page(associations=["companies"])
    assert page.results[0].associations["companies"].results[0].id == company


def test_invalid_association_is_an_api_exception_400(sdk: Client) -> None:
    with pytest.raises(ApiException) as raised:
        sdk.crm.objects.basic_api.create(
            "contacts",
            SimplePublicObjectInputForCreate(
                properties={},
                associations=[
                    PublicAssociationsForObject(to=PublicObjectId(id="999999"), types=[PRIMARY])
                ],
            ),
        )
    assert raised.value.status == 400
    assert "One or more associations are invalid" in str(raised.value.body)


def test_update_and_its_404(sdk: Client) -> None:
    [contact] = create_records(sdk, "contacts", 1)
    updated = sdk.crm.objects.basic_api.update(
        "contacts", contact, SimplePublicObjectInput(properties={"firstname": "changed"})
    )
    assert isinstance(updated, SimplePublicObject)
    assert updated.properties["firstname"] == "changed"
    with pytest.raises(NotFoundException):
        sdk.crm.objects.basic_api.update(
            "contacts", "999999", SimplePublicObjectInput(properties={"firstname": "x"})
        )


def test_batch_read_update_archive(sdk: Client) -> None:
    contacts = create_records(sdk, "contacts", 2)
    batch = sdk.crm.objects.batch_api
    read = batch.read(
        "contacts",
        BatchReadInputSimplePublicObjectId(
            inputs=[SimplePublicObjectId(id=c) for c in contacts],
            properties=["firstname"],
            properties_with_history=[],
        ),
    )
    assert isinstance(read, BatchResponseSimplePublicObject)
    assert sorted(r.id for r in read.results) == sorted(contacts)
    partial = batch.read(
        "contacts",
        BatchReadInputSimplePublicObjectId(
            inputs=[SimplePublicObjectId(id=contacts[0]), SimplePublicObjectId(id="999999")],
            properties=[],
            properties_with_history=[],
        ),
    )
    assert isinstance(partial, BatchResponseSimplePublicObjectWithErrors)
    assert partial.num_errors == 1
    assert partial.errors[0].context == {"ids": ["999999"]}

    updated = batch.update(
        "contacts",
        BatchInputSimplePublicObjectBatchInput(
            inputs=[
                SimplePublicObjectBatchInput(id=c, properties={"firstname": f"new-{c}"})
                for c in contacts
            ]
        ),
    )
    assert isinstance(updated, BatchResponseSimplePublicObject)
    assert {r.properties["firstname"] for r in updated.results} == {f"new-{c}" for c in contacts}

    archived = batch.archive(
        "contacts",
        BatchInputSimplePublicObjectId(inputs=[SimplePublicObjectId(id=contacts[0])]),
    )
    assert archived is None
    remaining = sdk.crm.objects.basic_api.get_page("contacts")
    assert [r.id for r in remaining.results] == [contacts[1]]
