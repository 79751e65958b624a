"""Unique values through the official SDK: ``id_property`` parameters and batch upsert."""

from __future__ import annotations

import pytest
from hubspot import Client
from hubspot.crm.objects import (
    BatchInputSimplePublicObjectBatchInputUpsert,
    BatchReadInputSimplePublicObjectId,
    BatchResponseSimplePublicUpsertObject,
    SimplePublicObjectBatchInputUpsert,
    SimplePublicObjectId,
    SimplePublicObjectInput,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.objects.exceptions import ApiException


def test_id_property_on_get_patch_and_batch_read(sdk: Client) -> None:
    basic = sdk.crm.objects.basic_api
    created = basic.create(
        "contacts", SimplePublicObjectInputForCreate(properties={"email": "ada@example.com"})
    )
    got = basic.get_by_id("contacts", "ada@example.com", id_property="email")
    assert got.id == created.id
    updated = basic.update(
        "contacts",
        "ada@example.com",
        SimplePublicObjectInput(properties={"firstname": "Ada"}),
        id_property="email",
    )
    assert updated.properties["firstname"] == "Ada"
    read = sdk.crm.objects.batch_api.read(
        "contacts",
        BatchReadInputSimplePublicObjectId(
            inputs=[SimplePublicObjectId(id="ada@example.com")],
            properties=["firstname"],
            properties_with_history=[],
            id_property="email",
        ),
    )
    assert [r.id for r in read.results] == [created.id]


def test_a_duplicate_email_reaches_the_sdk_as_409(sdk: Client) -> None:
    basic = sdk.crm.objects.basic_api
    body = SimplePublicObjectInputForCreate(properties={"email": "twice@example.com"})
    first = basic.create("contacts", body)
    with pytest.raises(ApiException) as raised:
        basic.create("contacts", body)
    assert raised.value.status == 409
    assert f"Existing ID: {first.id}" in str(raised.value.body)


def test_batch_upsert_round_trip(sdk: Client) -> None:
    batch = sdk.crm.objects.batch_api

    def upsert(email: str, firstname: str) -> BatchResponseSimplePublicUpsertObject:
        response = batch.upsert(
            "contacts",
            BatchInputSimplePublicObjectBatchInputUpsert(
                inputs=[
                    SimplePublicObjectBatchInputUpsert(
                        id=email, id_property="email", properties={"firstname": firstname}
                    )
                ]
            ),
        )
        assert isinstance(response, BatchResponseSimplePublicUpsertObject)
        return response

    created = upsert("up@example.com", "One").results[0]
    assert created.new is True
    updated = upsert("up@example.com", "Two").results[0]
    assert (updated.id, updated.new, updated.properties["firstname"]) == (created.id, False, "Two")


def test_contacts_basic_api_merge(sdk: Client) -> None:
    from hubspot.crm.contacts import PublicMergeInput, SimplePublicObject

    basic = sdk.crm.contacts.basic_api
    first, second = (
        sdk.crm.objects.basic_api.create(
            "contacts", SimplePublicObjectInputForCreate(properties={"email": email})
        ).id
        for email in ("m1@example.com", "m2@example.com")
    )
    merged = basic.merge(PublicMergeInput(primary_object_id=first, object_id_to_merge=second))
    assert isinstance(merged, SimplePublicObject)
    assert merged.id not in (first, second)
    assert merged.properties["email"] == "m1@example.com"
    assert basic.get_by_id(second).id == merged.id
