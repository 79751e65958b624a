"""A custom object record associated with contacts, companies and deals, in both directions,
by default and with labels, through the official SDK against a real server (both databases):
v4 default PUT, ``batch/associate/default``, labelled PUT, ``batch/create``, reads from both
sides, and objects v3 create-with-associations (single and batch)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hubspot import Client
from hubspot.crm.associations.v4 import (
    AssociationSpec,
    BatchInputPublicAssociationMultiPost,
    BatchInputPublicDefaultAssociationMultiPost,
    BatchInputPublicFetchAssociationsBatchRequest,
    PublicAssociationMultiPost,
    PublicDefaultAssociationMultiPost,
    PublicFetchAssociationsBatchRequest,
)
from hubspot.crm.associations.v4.schema import PublicAssociationDefinitionCreateRequest
from hubspot.crm.objects import AssociationSpec as ObjectsAssociationSpec
from hubspot.crm.objects import (
    BatchInputSimplePublicObjectBatchInputForCreate,
    PublicAssociationsForObject,
    PublicObjectId,
    SimplePublicObjectBatchInputForCreate,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.schemas import (
    ObjectSchemaEgg,
    ObjectTypeDefinitionLabels,
    ObjectTypePropertyCreate,
)

from tests.support.records import named
from tests.support.sdk import create_records

UD = "USER_DEFINED"
STANDARD = ["contacts", "companies", "deals"]
Types = set[tuple[str, int, str | None]]


@dataclass(frozen=True)
class Side:
    """One end of the pair under test: its type as the path writes it and its record ids."""

    type: str
    ids: list[str]


def _schema(sdk: Client) -> str:
    egg = ObjectSchemaEgg(
        name="vehicles",
        labels=ObjectTypeDefinitionLabels(singular="Vehicle", plural="Vehicles"),
        primary_display_property="plate",
        required_properties=["plate"],
        properties=[
            ObjectTypePropertyCreate(name="plate", label="Plate", type="string", field_type="text")
        ],
        associated_objects=["0-1", "0-2", "0-3"],
    )
    created = sdk.crm.schemas.core_api.create(egg)
    assert {a.to_object_type_id for a in created.associations} == {"0-1", "0-2", "0-3"}
    return str(created.object_type_id)


def _properties(object_type: str, name: str) -> dict[str, str]:
    return {"plate": name} if object_type.startswith("2-") else named(object_type, name)


def _records(sdk: Client, object_type: str, count: int) -> list[str]:
    if not object_type.startswith("2-"):
        return create_records(sdk, object_type, count)
    batch = BatchInputSimplePublicObjectBatchInputForCreate(
        inputs=[
            SimplePublicObjectBatchInputForCreate(properties={"plate": f"P{i}"})
            for i in range(count)
        ]
    )
    return [r.id for r in sdk.crm.objects.batch_api.create(object_type, batch).results]


def _pair(sdk: Client, standard: str, from_custom: bool, count: int) -> tuple[Side, Side]:
    custom = _schema(sdk)
    a, b = (custom, standard) if from_custom else (standard, custom)
    return Side(a, _records(sdk, a, count)), Side(b, _records(sdk, b, count))


def _types(sdk: Client, from_type: str, to_type: str) -> dict[str | None, int]:
    """label → typeId of the pair's USER_DEFINED types (None: the unlabeled default)."""
    listed = sdk.crm.associations.v4.schema.definitions_api.get_all(from_type, to_type).results
    assert {t.category for t in listed} == {UD}
    return {t.label: t.type_id for t in listed}


def _listed(sdk: Client, from_type: str, from_id: str, to_type: str) -> dict[str, Types]:
    page = sdk.crm.associations.v4.basic_api.get_page(from_type, from_id, to_type)
    return {
        str(r.to_object_id): {(t.category, t.type_id, t.label) for t in r.association_types}
        for r in page.results
    }


def _batch_read(sdk: Client, from_type: str, to_type: str, ids: list[str]) -> dict[str, set[str]]:
    response = sdk.crm.associations.v4.batch_api.get_page(
        from_type,
        to_type,
        BatchInputPublicFetchAssociationsBatchRequest(
            inputs=[PublicFetchAssociationsBatchRequest(id=i) for i in ids]
        ),
    )
    return {str(r._from.id): {str(t.to_object_id) for t in r.to} for r in response.results}


def _spec(type_id: int) -> AssociationSpec:
    return AssociationSpec(association_category=UD, association_type_id=type_id)


directions = pytest.mark.parametrize("from_custom", [True, False], ids=["from_custom", "to_custom"])
standards = pytest.mark.parametrize("standard", STANDARD)


@standards
@directions
def test_default_associations_both_ways(sdk: Client, standard: str, from_custom: bool) -> None:
    a, b = _pair(sdk, standard, from_custom, 2)
    forward = _types(sdk, a.type, b.type)[None]
    backward = _types(sdk, b.type, a.type)[None]
    assert forward != backward
    v4 = sdk.crm.associations.v4
    # The single default PUT, then batch/associate/default for the second pair.
    put = v4.basic_api.create_default(a.type, a.ids[0], b.type, b.ids[0])
    assert put.results
    batch = v4.batch_api.create_default(
        a.type,
        b.type,
        BatchInputPublicDefaultAssociationMultiPost(
            inputs=[PublicDefaultAssociationMultiPost(_from={"id": a.ids[1]}, to={"id": b.ids[1]})]
        ),
    )
    assert batch.status == "COMPLETE"
    for i in (0, 1):
        assert _listed(sdk, a.type, a.ids[i], b.type) == {b.ids[i]: {(UD, forward, None)}}
        assert _listed(sdk, b.type, b.ids[i], a.type) == {a.ids[i]: {(UD, backward, None)}}
    assert _batch_read(sdk, b.type, a.type, b.ids) == {b.ids[0]: {a.ids[0]}, b.ids[1]: {a.ids[1]}}


@standards
@directions
def test_labelled_associations_both_ways(sdk: Client, standard: str, from_custom: bool) -> None:
    a, b = _pair(sdk, standard, from_custom, 2)
    v4 = sdk.crm.associations.v4
    v4.schema.definitions_api.create(
        a.type,
        b.type,
        PublicAssociationDefinitionCreateRequest(
            label="Keeper", name="keeper", inverse_label="Kept by"
        ),
    )
    forward, backward = _types(sdk, a.type, b.type), _types(sdk, b.type, a.type)
    assert set(forward) == {None, "Keeper"}
    assert set(backward) == {None, "Kept by"}
    # Labelled PUT from this side: the default comes with the label, both directions.
    v4.basic_api.create(a.type, a.ids[0], b.type, b.ids[0], [_spec(forward["Keeper"])])
    both = {(UD, forward[None], None), (UD, forward["Keeper"], "Keeper")}
    assert _listed(sdk, a.type, a.ids[0], b.type) == {b.ids[0]: both}
    back = {(UD, backward[None], None), (UD, backward["Kept by"], "Kept by")}
    assert _listed(sdk, b.type, b.ids[0], a.type) == {a.ids[0]: back}
    # batch/create from the other side with the inverse label.
    created = v4.batch_api.create(
        b.type,
        a.type,
        BatchInputPublicAssociationMultiPost(
            inputs=[
                PublicAssociationMultiPost(
                    _from={"id": b.ids[1]},
                    to={"id": a.ids[1]},
                    types=[_spec(backward["Kept by"])],
                )
            ]
        ),
    )
    assert created.status == "COMPLETE"
    [result] = [r for r in created.results if str(r.from_object_id) == b.ids[1]]
    assert set(result.labels) == {"Kept by"}
    assert _listed(sdk, a.type, a.ids[1], b.type) == {
        b.ids[1]: {(UD, forward[None], None), (UD, forward["Keeper"], "Keeper")}
    }
    assert _batch_read(sdk, a.type, b.type, a.ids) == {a.ids[0]: {b.ids[0]}, a.ids[1]: {b.ids[1]}}


@standards
@directions
def test_create_with_associations_both_ways(sdk: Client, standard: str, from_custom: bool) -> None:
    """objects v3 POST (single and batch) with ``associations``, default and labelled."""
    a, b = _pair(sdk, standard, from_custom, 2)
    v4 = sdk.crm.associations.v4
    v4.schema.definitions_api.create(
        a.type, b.type, PublicAssociationDefinitionCreateRequest(label="Spare", name="spare")
    )
    forward = _types(sdk, a.type, b.type)

    def to(target: str, *type_ids: int) -> PublicAssociationsForObject:
        return PublicAssociationsForObject(
            to=PublicObjectId(id=target),
            types=[
                ObjectsAssociationSpec(association_category=UD, association_type_id=t)
                for t in type_ids
            ],
        )

    single = sdk.crm.objects.basic_api.create(
        a.type,
        SimplePublicObjectInputForCreate(
            properties=_properties(a.type, "single"), associations=[to(b.ids[0], forward[None])]
        ),
    )
    batch = sdk.crm.objects.batch_api.create(
        a.type,
        BatchInputSimplePublicObjectBatchInputForCreate(
            inputs=[
                SimplePublicObjectBatchInputForCreate(
                    properties=_properties(a.type, "batch"),
                    associations=[to(b.ids[1], forward["Spare"])],
                )
            ]
        ),
    )
    [batched] = batch.results
    backward = _types(sdk, b.type, a.type)[None]
    assert _listed(sdk, b.type, b.ids[0], a.type) == {single.id: {(UD, backward, None)}}
    # A label brings the pair's default with it; the label has no inverse text here.
    assert {(t[1], t[2]) for t in _listed(sdk, b.type, b.ids[1], a.type)[batched.id]} >= {
        (backward, None)
    }
    assert _listed(sdk, a.type, batched.id, b.type) == {
        b.ids[1]: {(UD, forward[None], None), (UD, forward["Spare"], "Spare")}
    }
    # objects v3 `?associations=` reads both sides too.
    got = sdk.crm.objects.basic_api.get_by_id(b.type, b.ids[0], associations=[a.type])
    [key] = got.associations
    assert [r.id for r in got.associations[key].results] == [single.id]
    got = sdk.crm.objects.basic_api.get_by_id(a.type, single.id, associations=[b.type])
    [key] = got.associations
    assert [r.id for r in got.associations[key].results] == [b.ids[0]]
