"""The official SDK end to end: labels and limits from the schema clients, used and enforced
by the record clients (``basic_api``, ``batch_api``) of the same ``Client``."""

from __future__ import annotations

from typing import Any

import pytest
from hubspot import Client
from hubspot.crm.associations.v4 import (
    AssociationSpec,
    BatchInputPublicAssociationMultiPost,
    BatchInputPublicDefaultAssociationMultiPost,
    BatchInputPublicFetchAssociationsBatchRequest,
    BatchResponseLabelsBetweenObjectPair,
    BatchResponseLabelsBetweenObjectPairWithErrors,
    BatchResponsePublicDefaultAssociation,
    LabelsBetweenObjectPair,
    PublicAssociationMultiPost,
    PublicDefaultAssociationMultiPost,
    PublicFetchAssociationsBatchRequest,
)
from hubspot.crm.associations.v4.exceptions import ApiException
from hubspot.crm.associations.v4.schema import (
    BatchInputPublicAssociationDefinitionConfigurationCreateRequest,
    BatchInputPublicAssociationSpec,
    PublicAssociationDefinitionConfigurationCreateRequest,
    PublicAssociationDefinitionCreateRequest,
    PublicAssociationDefinitionUpdateRequest,
    PublicAssociationSpec,
)
from hubspot.crm.associations.v4.schema.exceptions import ApiException as SchemaApiException

from tests.support.association_schema import legacy_label
from tests.support.portals import Portal
from tests.support.sdk import create_records

HD, UD = "HUBSPOT_DEFINED", "USER_DEFINED"
Types = set[tuple[str, int, str | None]]


def spec(type_id: int, category: str = HD) -> AssociationSpec:
    return AssociationSpec(association_category=category, association_type_id=type_id)


def post(from_id: str, to_id: str, *types: AssociationSpec) -> PublicAssociationMultiPost:
    return PublicAssociationMultiPost(_from={"id": from_id}, to={"id": to_id}, types=list(types))


def listed(sdk: Client, from_type: str, from_id: str, to_type: str) -> dict[str, Types]:
    """toObjectId → types, through basic_api.get_page."""
    page = sdk.crm.associations.v4.basic_api.get_page(from_type, from_id, to_type)
    return {
        str(r.to_object_id): {(t.category, t.type_id, t.label) for t in r.association_types}
        for r in page.results
    }


def read(sdk: Client, from_type: str, to_type: str, from_id: str) -> dict[str, Types]:
    """toObjectId → types, through batch_api.get_page (batch/read)."""
    batch = BatchInputPublicFetchAssociationsBatchRequest(
        inputs=[PublicFetchAssociationsBatchRequest(id=from_id)]
    )
    response: Any = sdk.crm.associations.v4.batch_api.get_page(from_type, to_type, batch)
    return {
        str(to.to_object_id): {(t.category, t.type_id, t.label) for t in to.association_types}
        for r in response.results
        for to in r.to
    }


def both_ways(
    sdk: Client, from_type: str, from_id: str, to_type: str, to_id: str
) -> tuple[Types, Types]:
    forward = listed(sdk, from_type, from_id, to_type).get(to_id, set())
    backward = listed(sdk, to_type, to_id, from_type).get(from_id, set())
    assert read(sdk, from_type, to_type, from_id).get(to_id, set()) == forward
    assert read(sdk, to_type, from_type, to_id).get(from_id, set()) == backward
    return forward, backward


def test_a_paired_label_through_both_clients(sdk: Client) -> None:
    definitions = sdk.crm.associations.v4.schema.definitions_api
    created = definitions.create(
        "contacts",
        "contacts",
        PublicAssociationDefinitionCreateRequest(
            name="manager", label="Manager", inverse_label="Employee"
        ),
    )
    ids = {r.label: r.type_id for r in created.results}
    manager, employee = ids["Manager"], ids["Employee"]
    a, b, c = create_records(sdk, "contacts", 3)

    pair = sdk.crm.associations.v4.basic_api.create(
        "contacts", a, "contacts", b, [spec(manager, UD)]
    )
    assert isinstance(pair, LabelsBetweenObjectPair)
    assert pair.labels == ["Manager"]
    batch = sdk.crm.associations.v4.batch_api.create(
        "contacts",
        "contacts",
        BatchInputPublicAssociationMultiPost(inputs=[post(c, b, spec(employee, UD))]),
    )
    assert isinstance(batch, BatchResponseLabelsBetweenObjectPair)
    assert both_ways(sdk, "contacts", a, "contacts", b) == (
        {(HD, 449, None), (UD, manager, "Manager")},
        {(HD, 449, None), (UD, employee, "Employee")},
    )

    definitions.update(
        "contacts",
        "contacts",
        PublicAssociationDefinitionUpdateRequest(
            association_type_id=manager, label="Boss", inverse_label="Report"
        ),
    )
    assert both_ways(sdk, "contacts", c, "contacts", b) == (
        {(HD, 449, None), (UD, employee, "Report")},
        {(HD, 449, None), (UD, manager, "Boss")},
    )

    with pytest.raises(SchemaApiException) as in_use:
        definitions.remove("contacts", "contacts", manager)
    assert in_use.value.status == 400
    sdk.crm.associations.v4.batch_api.archive_labels(
        "contacts",
        "contacts",
        BatchInputPublicAssociationMultiPost(
            inputs=[post(a, b, spec(manager, UD)), post(c, b, spec(employee, UD))]
        ),
    )
    assert both_ways(sdk, "contacts", a, "contacts", b) == ({(HD, 449, None)}, {(HD, 449, None)})
    assert definitions.remove("contacts", "contacts", manager) is None
    with pytest.raises(ApiException) as gone:
        sdk.crm.associations.v4.basic_api.create("contacts", a, "contacts", b, [spec(manager, UD)])
    assert gone.value.status == 400


def test_user_defined_1_beside_primary_1(sdk: Client, portal: Portal) -> None:
    # Numbered as before migration 0008 (a restored old snapshot can still hold it).
    created = legacy_label(
        portal, "contacts", "companies", "decider", "Decision maker", "Decides", first_id=1
    )
    assert {(r["typeId"], r["label"]) for r in created} == {(1, "Decision maker"), (2, "Decides")}
    [c] = create_records(sdk, "contacts", 1)
    co1, co2 = create_records(sdk, "companies", 2)
    sdk.crm.associations.v4.basic_api.create("contacts", c, "companies", co1, [spec(1, UD)])
    sdk.crm.associations.v4.batch_api.create(
        "companies",
        "contacts",
        BatchInputPublicAssociationMultiPost(inputs=[post(co2, c, spec(2))]),
    )
    assert listed(sdk, "contacts", c, "companies") == {
        co1: {(HD, 279, None), (UD, 1, "Decision maker")},
        co2: {(HD, 279, None), (HD, 1, "Primary")},
    }
    assert both_ways(sdk, "contacts", c, "companies", co1)[1] == {
        (HD, 280, None),
        (UD, 2, "Decides"),
    }


def test_limits_from_the_schema_client_hold_on_every_record_write(sdk: Client) -> None:
    configurations = sdk.crm.associations.v4.schema.definition_configurations_api
    configurations.batch_create(
        "contacts",
        "companies",
        BatchInputPublicAssociationDefinitionConfigurationCreateRequest(
            inputs=[
                PublicAssociationDefinitionConfigurationCreateRequest(
                    category=HD, type_id=279, max_to_object_ids=1
                )
            ]
        ),
    )
    [c] = create_records(sdk, "contacts", 1)
    co1, co2 = create_records(sdk, "companies", 2)
    sdk.crm.associations.v4.basic_api.create_default("contacts", c, "companies", co1)

    with pytest.raises(ApiException) as single_default:
        sdk.crm.associations.v4.basic_api.create_default("contacts", c, "companies", co2)
    assert single_default.value.status == 400
    with pytest.raises(ApiException) as single_labelled:
        sdk.crm.associations.v4.basic_api.create("contacts", c, "companies", co2, [spec(931)])
    assert single_labelled.value.status == 400
    labelled = sdk.crm.associations.v4.batch_api.create(
        "contacts",
        "companies",
        BatchInputPublicAssociationMultiPost(inputs=[post(c, co2, spec(931))]),
    )
    assert isinstance(labelled, BatchResponseLabelsBetweenObjectPairWithErrors)
    assert labelled.num_errors == 1
    default = sdk.crm.associations.v4.batch_api.create_default(
        "contacts",
        "companies",
        BatchInputPublicDefaultAssociationMultiPost(
            inputs=[PublicDefaultAssociationMultiPost(_from={"id": c}, to={"id": co2})]
        ),
    )
    assert isinstance(default, BatchResponsePublicDefaultAssociation)
    assert default.num_errors == 1
    assert default.errors[0].context["associationSpec"] == ["HUBSPOT_DEFINED=279"]

    configurations.batch_remove(
        "contacts",
        "companies",
        BatchInputPublicAssociationSpec(inputs=[PublicAssociationSpec(category=HD, type_id=279)]),
    )
    sdk.crm.associations.v4.basic_api.create("contacts", c, "companies", co2, [spec(931)])
    assert set(listed(sdk, "contacts", c, "companies")) == {co1, co2}
