"""The official SDK's schemas client (``crm.schemas``) and its objects client with a
custom object's type id, against hubgraph."""

from __future__ import annotations

import pytest
from hubspot import Client
from hubspot.crm.associations.v4 import AssociationSpec
from hubspot.crm.objects import SimplePublicObjectInput, SimplePublicObjectInputForCreate
from hubspot.crm.objects.exceptions import NotFoundException as ObjectNotFound
from hubspot.crm.schemas import (
    AssociationDefinitionEgg,
    CollectionResponseObjectSchemaNoPaging,
    ObjectSchema,
    ObjectSchemaEgg,
    ObjectTypeDefinition,
    ObjectTypeDefinitionLabels,
    ObjectTypeDefinitionPatch,
    ObjectTypePropertyCreate,
)
from hubspot.crm.schemas.exceptions import ApiException, NotFoundException


def _egg(name: str = "vehicles", associated: list[str] | None = None) -> ObjectSchemaEgg:
    return ObjectSchemaEgg(
        name=name,
        labels=ObjectTypeDefinitionLabels(singular="Vehicle", plural="Vehicles"),
        primary_display_property="plate",
        required_properties=["plate"],
        properties=[
            ObjectTypePropertyCreate(name="plate", label="Plate", type="string", field_type="text"),
            ObjectTypePropertyCreate(name="km", label="Km", type="number", field_type="number"),
        ],
        associated_objects=["0-1"] if associated is None else associated,
    )


def test_core_api_round_trip(sdk: Client) -> None:
    core = sdk.crm.schemas.core_api
    created = core.create(_egg())
    assert isinstance(created, ObjectSchema)
    assert created.object_type_id == f"2-{created.id}"
    assert created.fully_qualified_name.endswith("_vehicles")
    assert {p.name for p in created.properties} == {"plate", "km"}
    assert [a.to_object_type_id for a in created.associations] == ["0-1"]
    listed = core.get_all()
    assert isinstance(listed, CollectionResponseObjectSchemaNoPaging)
    assert [s.id for s in listed.results] == [created.id]
    assert core.get_by_id(created.fully_qualified_name).object_type_id == created.object_type_id
    updated = core.update(
        created.object_type_id,
        ObjectTypeDefinitionPatch(secondary_display_properties=["km"]),
    )
    assert isinstance(updated, ObjectTypeDefinition)
    assert updated.secondary_display_properties == ["km"]
    definition = core.create_association(
        created.object_type_id,
        AssociationDefinitionEgg(
            from_object_type_id=created.object_type_id, to_object_type_id="0-3"
        ),
    )
    assert (definition.from_object_type_id, definition.to_object_type_id) == (
        created.object_type_id,
        "0-3",
    )
    with pytest.raises(ApiException) as duplicate:
        core.create(_egg())
    assert duplicate.value.status == 409
    core.archive(created.object_type_id)
    with pytest.raises(NotFoundException):
        core.get_by_id(created.object_type_id)
    core.archive(created.object_type_id, archived=True)
    assert core.get_all(archived=True).results == []


def test_objects_basic_api_with_the_custom_type_id(sdk: Client) -> None:
    schema = sdk.crm.schemas.core_api.create(_egg())
    type_id = schema.object_type_id
    basic = sdk.crm.objects.basic_api
    created = basic.create(
        type_id, SimplePublicObjectInputForCreate(properties={"plate": "AB-12", "km": "10"})
    )
    assert created.properties["plate"] == "AB-12"
    got = basic.get_by_id(type_id, created.id, properties=["plate", "km"])
    assert got.properties["km"] == "10"
    updated = basic.update(type_id, created.id, SimplePublicObjectInput(properties={"km": "11"}))
    assert updated.properties["km"] == "11"
    page = basic.get_page(schema.fully_qualified_name, properties=["plate"])
    assert [r.id for r in page.results] == [created.id]
    basic.archive(type_id, created.id)
    with pytest.raises(ObjectNotFound):
        basic.get_by_id(type_id, created.id)


def test_custom_record_associated_with_a_contact_by_default_both_ways(sdk: Client) -> None:
    type_id = sdk.crm.schemas.core_api.create(_egg()).object_type_id
    car = sdk.crm.objects.basic_api.create(
        type_id, SimplePublicObjectInputForCreate(properties={"plate": "X"})
    ).id
    contact = sdk.crm.contacts.basic_api.create(
        SimplePublicObjectInputForCreate(properties={"email": "v@example.com"})
    ).id
    v4 = sdk.crm.associations.v4
    v4.basic_api.create_default(type_id, car, "contacts", contact)
    [from_contact] = v4.basic_api.get_page("contacts", contact, type_id).results
    assert from_contact.to_object_id == car
    [spec] = from_contact.association_types
    assert (spec.category, spec.label) == ("USER_DEFINED", None)
    [from_car] = v4.basic_api.get_page(type_id, car, "contacts").results
    assert from_car.to_object_id == contact
    labels = v4.schema.definitions_api.get_all(type_id, "contacts").results
    assert [(t.category, t.label) for t in labels] == [("USER_DEFINED", None)]
    # The inverse definition's type works for a labelled write from the contact too.
    [inverse] = v4.schema.definitions_api.get_all("contacts", type_id).results
    assert inverse.type_id != labels[0].type_id
    v4.basic_api.archive(type_id, car, "contacts", contact)
    spec_in = AssociationSpec(
        association_category="USER_DEFINED", association_type_id=inverse.type_id
    )
    v4.basic_api.create("contacts", contact, type_id, car, [spec_in])
    assert [r.to_object_id for r in v4.basic_api.get_page(type_id, car, "contacts").results] == [
        contact
    ]
