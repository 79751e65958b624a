"""The official SDK's ``crm.objects.search_api.do_search`` on a custom object: filters on
the schema's properties, ``query`` over its ``searchableProperties``, ``associations.*``
with custom types (reference §4.5, §4.6, §6.5)."""

from __future__ import annotations

from typing import Any

import pytest
from hubspot import Client
from hubspot.crm.contacts import Filter as ContactFilter
from hubspot.crm.contacts import FilterGroup as ContactFilterGroup
from hubspot.crm.contacts import PublicObjectSearchRequest as ContactSearch
from hubspot.crm.contacts import SimplePublicObjectInputForCreate as ContactInput
from hubspot.crm.objects import (
    Filter,
    FilterGroup,
    PublicObjectSearchRequest,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.objects.exceptions import ApiException
from hubspot.crm.schemas import (
    ObjectSchema,
    ObjectSchemaEgg,
    ObjectTypeDefinitionLabels,
    ObjectTypeDefinitionPatch,
    ObjectTypePropertyCreate,
    OptionInput,
)

from hubgraph.testing import ServerThread
from tests.support.portals import Portal


def _property(name: str, type_: str, field_type: str, **extra: Any) -> ObjectTypePropertyCreate:
    return ObjectTypePropertyCreate(
        name=name, label=name, type=type_, field_type=field_type, **extra
    )


@pytest.fixture
def vehicles(sdk: Client) -> ObjectSchema:
    fuels = [
        OptionInput(label=v, value=v, display_order=i) for i, v in enumerate(["Diesel", "Petrol"])
    ]
    return sdk.crm.schemas.core_api.create(
        ObjectSchemaEgg(
            name="vehicles",
            labels=ObjectTypeDefinitionLabels(singular="Vehicle", plural="Vehicles"),
            primary_display_property="plate",
            required_properties=["plate"],
            searchable_properties=["plate", "model"],
            properties=[
                _property("plate", "string", "text"),
                _property("model", "string", "text"),
                _property("notes", "string", "textarea"),
                _property("km", "number", "number"),
                _property("bought", "date", "date"),
                _property("fuel", "enumeration", "select", options=fuels),
            ],
            associated_objects=["0-1"],
        )
    )


@pytest.fixture
def cars(sdk: Client, vehicles: ObjectSchema) -> list[str]:
    rows = [
        {
            "plate": "AB-12",
            "model": "Tesla Model 3",
            "km": "9",
            "bought": "2024-01-15",
            "fuel": "Petrol",
        },
        {
            "plate": "CD-34",
            "model": "Volvo XC40",
            "km": "100",
            "fuel": "Diesel",
            "notes": "traded in for a tesla",
        },
        {"plate": "EF-56", "model": "Tesla Model Y", "km": "10", "bought": "2023-06-01"},
    ]
    basic = sdk.crm.objects.basic_api
    return [
        basic.create(vehicles.object_type_id, SimplePublicObjectInputForCreate(properties=p)).id
        for p in rows
    ]


def _search(
    sdk: Client, object_type: str, *filters: Filter, query: str | None = None, **kwargs: Any
) -> list[str]:
    request = PublicObjectSearchRequest(
        filter_groups=[FilterGroup(filters=list(filters))] if filters else None,
        query=query,
        limit=100,
        **kwargs,
    )
    page = sdk.crm.objects.search_api.do_search(
        object_type=object_type, public_object_search_request=request
    )
    assert page.total == len(page.results)
    return [r.id for r in page.results]


def test_filters_on_the_schemas_properties_by_their_type(
    sdk: Client, vehicles: ObjectSchema, cars: list[str]
) -> None:
    type_id = vehicles.object_type_id
    assert _search(sdk, type_id, Filter(property_name="km", operator="GT", value="9")) == cars[1:]
    between = Filter(property_name="km", operator="BETWEEN", value="9", high_value="10")
    assert _search(sdk, type_id, between) == [cars[0], cars[2]]
    since = Filter(property_name="bought", operator="GTE", value="1704067200000")  # 2024-01-01
    assert _search(sdk, type_id, since) == [cars[0]]
    diesel = Filter(property_name="fuel", operator="IN", values=["Diesel"])
    assert _search(sdk, type_id, diesel) == [cars[1]]
    assert _search(sdk, type_id, Filter(property_name="fuel", operator="EQ", value="diesel")) == []
    has = Filter(property_name="bought", operator="HAS_PROPERTY")
    assert _search(sdk, type_id, has) == [cars[0], cars[2]]
    by_km = _search(sdk, type_id, sorts=["-km"], properties=["plate", "km"])
    assert by_km == [cars[1], cars[2], cars[0]]


def test_the_fully_qualified_name_and_the_default_properties(
    sdk: Client, vehicles: ObjectSchema, cars: list[str]
) -> None:
    plate = Filter(property_name="plate", operator="EQ", value="cd-34")
    request = PublicObjectSearchRequest(filter_groups=[FilterGroup(filters=[plate])])
    page = sdk.crm.objects.search_api.do_search(
        object_type=vehicles.fully_qualified_name, public_object_search_request=request
    )
    [car] = page.results
    assert car.id == cars[1]
    # The defaults of a custom object (§6.5), plus what every read carries; no schema property.
    assert {"hs_createdate", "hs_lastmodifieddate", "hs_object_id"} <= set(car.properties)
    assert "plate" not in car.properties


def test_query_searches_the_schemas_searchable_properties(
    sdk: Client, vehicles: ObjectSchema, cars: list[str]
) -> None:
    type_id = vehicles.object_type_id
    # "notes" of the second car says tesla too, but it is not searchable.
    assert _search(sdk, type_id, query="tesla") == [cars[0], cars[2]]
    assert _search(sdk, type_id, query="CD") == [cars[1]]
    assert _search(sdk, type_id, query="tesla mod") == [cars[0], cars[2]]
    assert _search(sdk, type_id, query="100") == []  # km is not searchable
    sdk.crm.schemas.core_api.update(
        type_id, ObjectTypeDefinitionPatch(searchable_properties=["notes"])
    )
    assert _search(sdk, type_id, query="tesla") == [cars[1]]


def test_associations_pseudo_property_with_custom_types(
    sdk: Client, vehicles: ObjectSchema, cars: list[str]
) -> None:
    type_id = vehicles.object_type_id
    owner = sdk.crm.contacts.basic_api.create(
        ContactInput(properties={"email": "owner@example.com"})
    ).id
    sdk.crm.associations.v4.basic_api.create_default(type_id, cars[2], "contacts", owner)
    of_owner = Filter(property_name="associations.contact", operator="EQ", value=owner)
    assert _search(sdk, type_id, of_owner) == [cars[2]]
    for name in (type_id, vehicles.fully_qualified_name):
        request = ContactSearch(
            filter_groups=[
                ContactFilterGroup(
                    filters=[
                        ContactFilter(
                            property_name=f"associations.{name}", operator="IN", values=cars
                        )
                    ]
                )
            ]
        )
        page = sdk.crm.contacts.search_api.do_search(public_object_search_request=request)
        assert [c.id for c in page.results] == [owner]
    without = Filter(property_name="associations.contact", operator="NOT_HAS_PROPERTY")
    assert _search(sdk, type_id, without) == cars[:2]


def test_another_portals_custom_type_is_unknown(
    server: ServerThread, other_portal: Portal, vehicles: ObjectSchema, cars: list[str]
) -> None:
    other_sdk = Client.create(access_token=other_portal.token, host=server.base_url)
    with pytest.raises(ApiException) as refused:
        other_sdk.crm.objects.search_api.do_search(
            object_type=vehicles.object_type_id,
            public_object_search_request=PublicObjectSearchRequest(),
        )
    assert refused.value.status == 400
    assert "Unable to infer object type" in refused.value.body
