"""The official SDK's Associations Schema v4 clients against a real hubgraph server.

``sdk.crm.associations.v4.schema.definitions_api`` (labels) and
``…definition_configurations_api`` (limits) call ``/crm/v4/associations/…`` and parse
only the status codes in their ``response_types_map``: a wrong code reaches users as None.
"""

from __future__ import annotations

import pytest
from hubspot import Client
from hubspot.crm.associations.v4.schema import (
    BatchInputPublicAssociationDefinitionConfigurationCreateRequest,
    BatchInputPublicAssociationDefinitionConfigurationUpdateRequest,
    BatchInputPublicAssociationSpec,
    BatchResponsePublicAssociationDefinitionConfigurationUpdateResult,
    BatchResponsePublicAssociationDefinitionUserConfiguration,
    BatchResponsePublicAssociationDefinitionUserConfigurationWithErrors,
    CollectionResponseAssociationSpecWithLabelNoPaging,
    CollectionResponsePublicAssociationDefinitionUserConfigurationNoPaging,
    PublicAssociationDefinitionConfigurationCreateRequest,
    PublicAssociationDefinitionConfigurationUpdateRequest,
    PublicAssociationDefinitionCreateRequest,
    PublicAssociationDefinitionUpdateRequest,
    PublicAssociationSpec,
)
from hubspot.crm.associations.v4.schema.exceptions import ApiException


def test_definitions_create_get_all_update_remove(sdk: Client) -> None:
    api = sdk.crm.associations.v4.schema.definitions_api
    created = api.create(
        "contacts",
        "companies",
        PublicAssociationDefinitionCreateRequest(
            name="manager", label="Manager", inverse_label="Managed"
        ),
    )
    assert isinstance(created, CollectionResponseAssociationSpecWithLabelNoPaging)
    assert {(r.category, r.label) for r in created.results} == {
        ("USER_DEFINED", "Manager"),
        ("USER_DEFINED", "Managed"),
    }
    forward = next(r.type_id for r in created.results if r.label == "Manager")

    listed = api.get_all("contacts", "companies")
    assert isinstance(listed, CollectionResponseAssociationSpecWithLabelNoPaging)
    by_key = {(r.category, r.type_id): r.label for r in listed.results}
    assert by_key[("USER_DEFINED", forward)] == "Manager"
    assert by_key[("HUBSPOT_DEFINED", 279)] is None
    assert by_key[("HUBSPOT_DEFINED", 1)] == "Primary"

    assert (
        api.update(
            "contacts",
            "companies",
            PublicAssociationDefinitionUpdateRequest(association_type_id=forward, label="Boss"),
        )
        is None
    )
    labels = {r.label for r in api.get_all("contacts", "companies").results}
    assert "Boss" in labels

    assert api.remove("contacts", "companies", forward) is None
    remaining = api.get_all("contacts", "companies").results
    assert {r.category for r in remaining} == {"HUBSPOT_DEFINED"}


def test_definition_errors_raise_api_exception(sdk: Client) -> None:
    api = sdk.crm.associations.v4.schema.definitions_api
    with pytest.raises(ApiException) as raised:
        api.remove("contacts", "companies", 279)
    assert raised.value.status == 400
    with pytest.raises(ApiException) as raised:
        api.create(
            "contacts", "companies", PublicAssociationDefinitionCreateRequest(name="a-b", label="X")
        )
    assert raised.value.status == 400


def test_configurations_round_trip(sdk: Client) -> None:
    api = sdk.crm.associations.v4.schema.definition_configurations_api
    created = api.batch_create(
        "contacts",
        "companies",
        BatchInputPublicAssociationDefinitionConfigurationCreateRequest(
            inputs=[
                PublicAssociationDefinitionConfigurationCreateRequest(
                    category="HUBSPOT_DEFINED", type_id=279, max_to_object_ids=10
                ),
                PublicAssociationDefinitionConfigurationCreateRequest(
                    category="HUBSPOT_DEFINED", type_id=1, max_to_object_ids=1
                ),
            ]
        ),
    )
    assert isinstance(created, BatchResponsePublicAssociationDefinitionUserConfiguration)
    assert {(r.type_id, r.user_enforced_max_to_object_ids, r.label) for r in created.results} == {
        (279, 10, None),
        (1, 1, "Primary"),
    }

    everything = api.get_all()
    assert isinstance(
        everything, CollectionResponsePublicAssociationDefinitionUserConfigurationNoPaging
    )
    assert {r.type_id for r in everything.results} == {279, 1}

    between = api.get_all_between_two_object_types("contacts", "companies")
    assert isinstance(
        between, CollectionResponsePublicAssociationDefinitionUserConfigurationNoPaging
    )
    assert len(between.results) == 2
    assert api.get_all_between_two_object_types("companies", "contacts").results == []

    updated = api.batch_update(
        "contacts",
        "companies",
        BatchInputPublicAssociationDefinitionConfigurationUpdateRequest(
            inputs=[
                PublicAssociationDefinitionConfigurationUpdateRequest(
                    category="HUBSPOT_DEFINED", type_id=279, max_to_object_ids=20
                )
            ]
        ),
    )
    assert isinstance(updated, BatchResponsePublicAssociationDefinitionConfigurationUpdateResult)
    assert [(r.type_id, r.user_enforced_max_to_object_ids) for r in updated.results] == [(279, 20)]

    assert (
        api.batch_remove(
            "contacts",
            "companies",
            BatchInputPublicAssociationSpec(
                inputs=[PublicAssociationSpec(category="HUBSPOT_DEFINED", type_id=279)]
            ),
        )
        is None
    )
    assert [r.type_id for r in api.get_all().results] == [1]


def test_partial_failure_parses_as_with_errors(sdk: Client) -> None:
    api = sdk.crm.associations.v4.schema.definition_configurations_api
    response = api.batch_create(
        "contacts",
        "companies",
        BatchInputPublicAssociationDefinitionConfigurationCreateRequest(
            inputs=[
                PublicAssociationDefinitionConfigurationCreateRequest(
                    category="HUBSPOT_DEFINED", type_id=279, max_to_object_ids=5
                ),
                PublicAssociationDefinitionConfigurationCreateRequest(
                    category="HUBSPOT_DEFINED", type_id=1, max_to_object_ids=6
                ),
            ]
        ),
    )
    assert isinstance(response, BatchResponsePublicAssociationDefinitionUserConfigurationWithErrors)
    assert response.num_errors == 1
    assert "between 1 and 5" in response.errors[0].message
    assert [r.type_id for r in response.results] == [279]
