"""The official hubspot-api-client against a real hubgraph server."""

from __future__ import annotations

import pytest
from hubspot import Client
from hubspot.crm.associations.v4 import (
    BatchInputPublicDefaultAssociationMultiPost,
    BatchResponsePublicDefaultAssociation,
    PublicDefaultAssociationMultiPost,
)
from hubspot.crm.associations.v4.exceptions import ApiException
from hubspot.crm.objects import (
    SimplePublicObjectInputForCreate,
)

from hubgraph.testing import ServerThread
from tests.support.sdk import create_records


def test_create_default_returns_both_directions(sdk: Client) -> None:
    contacts = create_records(sdk, "contacts", 2)
    [company] = create_records(sdk, "companies", 1)
    batch = BatchInputPublicDefaultAssociationMultiPost(
        inputs=[
            PublicDefaultAssociationMultiPost(_from={"id": c}, to={"id": company}) for c in contacts
        ]
    )
    response = sdk.crm.associations.v4.batch_api.create_default("contacts", "companies", batch)
    assert isinstance(response, BatchResponsePublicDefaultAssociation)
    assert response.status == "COMPLETE"
    got = {
        (
            r._from.id,
            r.to.id,
            r.association_spec.association_category,
            r.association_spec.association_type_id,
        )
        for r in response.results
    }
    expected = {(c, company, "HUBSPOT_DEFINED", 279) for c in contacts}
    expected |= {(company, c, "HUBSPOT_DEFINED", 280) for c in contacts}
    assert got == expected
    assert response.started_at <= response.completed_at


def test_create_default_reports_invalid_ids_as_errors(sdk: Client) -> None:
    [contact] = create_records(sdk, "contacts", 1)
    batch = BatchInputPublicDefaultAssociationMultiPost(
        inputs=[PublicDefaultAssociationMultiPost(_from={"id": contact}, to={"id": "424242424242"})]
    )
    response = sdk.crm.associations.v4.batch_api.create_default("contacts", "companies", batch)
    assert response.results == []
    assert response.num_errors == 1
    assert response.errors[0].context["INVALID_OBJECT_IDS"] == ["COMPANY=424242424242 is not valid"]


def test_sdk_object_round_trip(sdk: Client) -> None:
    created = sdk.crm.objects.basic_api.create(
        "contacts", SimplePublicObjectInputForCreate(properties={"email": "sdk@example.com"})
    )
    got = sdk.crm.objects.basic_api.get_by_id("contacts", created.id, properties=["email"])
    assert got.properties["email"] == "sdk@example.com"
    assert got.archived is False


def test_bad_token_raises_401(server: ServerThread) -> None:
    client = Client.create(access_token="pat-na1-not-a-real-token", host=server.base_url)
    batch = BatchInputPublicDefaultAssociationMultiPost(inputs=[])
    with pytest.raises(ApiException) as info:
        client.crm.associations.v4.batch_api.create_default("contacts", "companies", batch)
    assert info.value.status == 401
