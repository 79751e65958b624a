"""The official SDK's properties client (``crm.properties``) against hubgraph."""

from __future__ import annotations

import pytest
from hubspot import Client
from hubspot.crm.properties import (
    BatchInputPropertyCreate,
    BatchInputPropertyName,
    BatchReadInputPropertyName,
    BatchResponseProperty,
    CollectionResponsePropertyNoPaging,
    ModelProperty,
    OptionInput,
    PropertyCreate,
    PropertyGroup,
    PropertyGroupCreate,
    PropertyName,
    PropertyUpdate,
)
from hubspot.crm.properties.exceptions import ApiException, NotFoundException


def _create(name: str, **extra: object) -> PropertyCreate:
    return PropertyCreate(
        name=name,
        label=name.title(),
        type="enumeration",
        field_type="select",
        group_name="dealinformation",
        options=[OptionInput(label="A", value="a", hidden=False, display_order=0)],
        **extra,
    )


def test_core_api_round_trip(sdk: Client) -> None:
    core = sdk.crm.properties.core_api
    everything = core.get_all("deals")
    assert isinstance(everything, CollectionResponsePropertyNoPaging)
    assert "dealstage" in {p.name for p in everything.results}
    created = core.create("deals", _create("channel"))
    assert isinstance(created, ModelProperty)
    assert created.field_type == "select"
    assert created.modification_metadata.read_only_value is False
    assert core.get_by_name("deal", "channel").options[0].value == "a"
    updated = core.update("deals", "channel", PropertyUpdate(label="Sales channel"))
    assert updated.label == "Sales channel"
    core.archive("deals", "channel")
    with pytest.raises(NotFoundException):
        core.get_by_name("deals", "channel")
    assert core.get_by_name("deals", "channel", archived=True).archived is True


def test_a_duplicate_name_reaches_the_sdk_as_409(sdk: Client) -> None:
    sdk.crm.properties.core_api.create("deals", _create("dup"))
    with pytest.raises(ApiException) as raised:
        sdk.crm.properties.core_api.create("deals", _create("dup"))
    assert raised.value.status == 409


def test_batch_api_round_trip(sdk: Client) -> None:
    batch = sdk.crm.properties.batch_api
    created = batch.create(
        "deals", BatchInputPropertyCreate(inputs=[_create("b_one"), _create("b_two")])
    )
    assert isinstance(created, BatchResponseProperty)
    assert sorted(p.name for p in created.results) == ["b_one", "b_two"]
    read = batch.read(
        "deals",
        BatchReadInputPropertyName(
            inputs=[PropertyName(name="b_one"), PropertyName(name="amount")],
            archived=False,
        ),
    )
    assert sorted(p.name for p in read.results) == ["amount", "b_one"]
    batch.archive("deals", BatchInputPropertyName(inputs=[PropertyName(name="b_one")]))
    with pytest.raises(NotFoundException):
        sdk.crm.properties.core_api.get_by_name("deals", "b_one")


def test_groups_api_round_trip(sdk: Client) -> None:
    groups = sdk.crm.properties.groups_api
    created = groups.create("companies", PropertyGroupCreate(name="erp", label="ERP"))
    assert isinstance(created, PropertyGroup)
    assert "erp" in {g.name for g in groups.get_all("companies").results}
    assert groups.get_by_name("companies", "erp").label == "ERP"
    groups.archive("companies", "erp")
    with pytest.raises(NotFoundException):
        groups.get_by_name("companies", "erp")
