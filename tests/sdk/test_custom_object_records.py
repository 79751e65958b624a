"""Records of a custom object through the official SDK against a real server (both
databases), with the type written as ``2-…``, as the fully qualified name and in the case
variations accepted, and refused in HubSpot's words as the bare name: CRUD, batch,
``?associations=``, upsert and reads by a unique property, archive and restore; and the
schema's required properties on every path that creates a record."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2 as httpx
import pytest
from hubspot import Client
from hubspot.crm.associations.v4.exceptions import ApiException as V4ApiException
from hubspot.crm.objects import (
    BatchInputSimplePublicObjectBatchInput,
    BatchInputSimplePublicObjectBatchInputForCreate,
    BatchInputSimplePublicObjectBatchInputUpsert,
    BatchInputSimplePublicObjectId,
    BatchReadInputSimplePublicObjectId,
    SimplePublicObjectBatchInput,
    SimplePublicObjectBatchInputForCreate,
    SimplePublicObjectBatchInputUpsert,
    SimplePublicObjectId,
    SimplePublicObjectInput,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.objects.exceptions import ApiException, NotFoundException
from hubspot.crm.schemas import (
    ObjectSchema,
    ObjectSchemaEgg,
    ObjectTypeDefinitionLabels,
    ObjectTypePropertyCreate,
)

from hubgraph.testing import ServerThread
from tests.support.portals import Portal
from tests.support.sdk import create_records

# A mixed-case name, so that the case variations differ from the name as created.
NAME = "RentalCars"
FORMS: dict[str, Callable[[ObjectSchema], str]] = {
    "objectTypeId": lambda s: str(s.object_type_id),
    "fullyQualifiedName": lambda s: str(s.fully_qualified_name),
    "lower": lambda s: str(s.fully_qualified_name).lower(),
    "upper": lambda s: str(s.fully_qualified_name).upper(),
}


def _schema(sdk: Client) -> ObjectSchema:
    egg = ObjectSchemaEgg(
        name=NAME,
        labels=ObjectTypeDefinitionLabels(singular="Rental car", plural="Rental cars"),
        primary_display_property="model",
        required_properties=["model", "plate"],
        properties=[
            ObjectTypePropertyCreate(name="model", label="Model", type="string", field_type="text"),
            ObjectTypePropertyCreate(name="plate", label="Plate", type="string", field_type="text"),
            ObjectTypePropertyCreate(
                name="vin", label="VIN", type="string", field_type="text", has_unique_value=True
            ),
        ],
        associated_objects=["CONTACT"],
    )
    schema: ObjectSchema = sdk.crm.schemas.core_api.create(egg)
    assert schema.fully_qualified_name.endswith(f"_{NAME}")
    return schema


def _car(i: int, **extra: str) -> dict[str, str]:
    return {"model": f"m{i}", "plate": f"P-{i}", **extra}


def _error(exc: pytest.ExceptionInfo[ApiException]) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(exc.value.body)
    return body


@pytest.mark.parametrize("form", list(FORMS))
def test_records_under_each_form(
    sdk: Client, server: ServerThread, portal: Portal, form: str
) -> None:
    schema = _schema(sdk)
    t = FORMS[form](schema)
    basic, batch = sdk.crm.objects.basic_api, sdk.crm.objects.batch_api
    # CRUD
    created = basic.create(t, SimplePublicObjectInputForCreate(properties=_car(0, vin="V0")))
    assert created.properties["model"] == "m0"
    got = basic.get_by_id(t, created.id, properties=["model", "plate"])
    assert got.properties["plate"] == "P-0"
    patched = basic.update(t, created.id, SimplePublicObjectInput(properties={"model": "m0b"}))
    assert patched.properties["model"] == "m0b"
    # A unique property names the record (idProperty) for reads and updates.
    by_vin = basic.get_by_id(t, "V0", id_property="vin", properties=["model"])
    assert (by_vin.id, by_vin.properties["model"]) == (created.id, "m0b")
    # Batch create, read, update.
    made = batch.create(
        t,
        BatchInputSimplePublicObjectBatchInputForCreate(
            inputs=[SimplePublicObjectBatchInputForCreate(properties=_car(i)) for i in (1, 2)]
        ),
    )
    ids = sorted(r.id for r in made.results)
    read = batch.read(
        t,
        BatchReadInputSimplePublicObjectId(
            inputs=[SimplePublicObjectId(id=i) for i in ids], properties=["model"]
        ),
    )
    assert sorted(r.id for r in read.results) == ids
    updated = batch.update(
        t,
        BatchInputSimplePublicObjectBatchInput(
            inputs=[SimplePublicObjectBatchInput(id=i, properties={"model": "x"}) for i in ids]
        ),
    )
    assert {r.properties["model"] for r in updated.results} == {"x"}
    page = basic.get_page(t, properties=["model"])
    assert sorted(r.id for r in page.results) == sorted([created.id, *ids])
    # Upsert by the unique property: one update, one create; results carry `new`.
    upserted = batch.upsert(
        t,
        BatchInputSimplePublicObjectBatchInputUpsert(
            inputs=[
                SimplePublicObjectBatchInputUpsert(
                    id="V0", id_property="vin", properties={"model": "up"}
                ),
                SimplePublicObjectBatchInputUpsert(id="V9", id_property="vin", properties=_car(9)),
            ]
        ),
    )
    new = {r.properties["vin"]: r.new for r in upserted.results}
    assert new == {"V0": False, "V9": True}
    # `?associations=` from both sides, with the type written in this form.
    [contact] = create_records(sdk, "contacts", 1)
    sdk.crm.associations.v4.basic_api.create_default(t, created.id, "contacts", contact)
    mine = basic.get_by_id(t, created.id, associations=["contacts"])
    assert [r.id for r in mine.associations["contacts"].results] == [contact]
    theirs = basic.get_by_id("contacts", contact, associations=[t])
    [(_, found)] = theirs.associations.items()
    assert [r.id for r in found.results] == [created.id]
    # Archive (single and batch), then restore through hubgraph's control plane.
    basic.archive(t, created.id)
    with pytest.raises(NotFoundException):
        basic.get_by_id(t, created.id)
    batch.archive(t, BatchInputSimplePublicObjectId(inputs=[SimplePublicObjectId(id=ids[0])]))
    archived = basic.get_page(t, archived=True)
    assert sorted(r.id for r in archived.results) == sorted([created.id, ids[0]])
    restored = httpx.post(
        f"{server.base_url}/_hubgraph/objects/{t}/{created.id}/restore",
        headers={"Authorization": f"Bearer {portal.token}"},
    )
    assert restored.status_code == 200, restored.text
    back = basic.get_by_id(t, created.id, associations=["contacts"], properties=["vin"])
    assert back.properties["vin"] == "V0"
    assert [r.id for r in back.associations["contacts"].results] == [contact]


def test_the_bare_name_is_refused_everywhere(sdk: Client) -> None:
    schema = _schema(sdk)
    [car] = [
        sdk.crm.objects.basic_api.create(
            str(schema.object_type_id), SimplePublicObjectInputForCreate(properties=_car(0))
        ).id
    ]
    [contact] = create_records(sdk, "contacts", 1)
    basic, batch = sdk.crm.objects.basic_api, sdk.crm.objects.batch_api
    calls: list[Callable[[], object]] = [
        lambda: basic.get_by_id(NAME, car),
        lambda: basic.get_page(NAME),
        lambda: basic.create(NAME, SimplePublicObjectInputForCreate(properties=_car(1))),
        lambda: basic.update(NAME, car, SimplePublicObjectInput(properties={"model": "y"})),
        lambda: basic.archive(NAME, car),
        lambda: batch.create(
            NAME,
            BatchInputSimplePublicObjectBatchInputForCreate(
                inputs=[SimplePublicObjectBatchInputForCreate(properties=_car(2))]
            ),
        ),
        lambda: batch.upsert(
            NAME,
            BatchInputSimplePublicObjectBatchInputUpsert(
                inputs=[
                    SimplePublicObjectBatchInputUpsert(id="V1", id_property="vin", properties={})
                ]
            ),
        ),
        lambda: basic.get_by_id("contacts", contact, associations=[NAME.lower()]),
        lambda: sdk.crm.associations.v4.basic_api.get_page(NAME, car, "contacts"),
    ]
    for call in calls:
        with pytest.raises((ApiException, V4ApiException)) as refused:
            call()
        assert refused.value.status == 400
        body = json.loads(refused.value.body)
        assert body["category"] == "VALIDATION_ERROR"
        assert body["message"].startswith("Unable to infer object type from: ")
        assert body["message"].lower().endswith(NAME.lower())


def test_required_properties_on_every_create_path(sdk: Client) -> None:
    t = str(_schema(sdk).object_type_id)
    basic, batch = sdk.crm.objects.basic_api, sdk.crm.objects.batch_api
    expected = f"Error creating {NAME}. Some required properties were not set."
    with pytest.raises(ApiException) as single:
        basic.create(t, SimplePublicObjectInputForCreate(properties={"model": "m", "plate": ""}))
    assert single.value.status == 400
    assert _error(single)["message"] == expected
    assert _error(single)["category"] == "VALIDATION_ERROR"
    assert _error(single)["context"] == {"properties": ["plate"]}
    # A batch without trace ids fails whole; nothing is written.
    with pytest.raises(ApiException) as whole:
        batch.create(
            t,
            BatchInputSimplePublicObjectBatchInputForCreate(
                inputs=[
                    SimplePublicObjectBatchInputForCreate(properties=_car(1)),
                    SimplePublicObjectBatchInputForCreate(properties={"vin": "V2"}),
                ]
            ),
        )
    assert whole.value.status == 400
    assert _error(whole)["context"] == {"properties": ["model", "plate"]}
    assert basic.get_page(t).results == []
    # With trace ids the input fails alone (207).
    traced = batch.create(
        t,
        BatchInputSimplePublicObjectBatchInputForCreate(
            inputs=[
                SimplePublicObjectBatchInputForCreate(
                    properties=_car(1), object_write_trace_id="a"
                ),
                SimplePublicObjectBatchInputForCreate(
                    properties={"model": "m"}, object_write_trace_id="b"
                ),
            ]
        ),
    )
    [error] = traced.errors
    assert error.message == expected
    assert error.context == {"properties": ["plate"], "objectWriteTraceId": ["b"]}
    assert [r.properties["model"] for r in traced.results] == ["m1"]
    # Upsert: an input that creates needs them; one that updates does not.
    basic.create(t, SimplePublicObjectInputForCreate(properties=_car(5, vin="V5")))
    upsert = BatchInputSimplePublicObjectBatchInputUpsert(
        inputs=[
            SimplePublicObjectBatchInputUpsert(
                id="V5", id_property="vin", properties={"model": "n"}
            ),
            SimplePublicObjectBatchInputUpsert(
                id="V6", id_property="vin", properties={"model": "o"}
            ),
        ]
    )
    with pytest.raises(ApiException) as creating:
        batch.upsert(t, upsert)
    assert creating.value.status == 400
    assert _error(creating)["message"] == expected
    assert _error(creating)["context"] == {"properties": ["plate"]}
    assert (
        basic.get_by_id(t, "V5", id_property="vin", properties=["model"]).properties["model"]
        == "m5"
    )
    upsert.inputs = upsert.inputs[:1]
    [only] = batch.upsert(t, upsert).results
    assert (only.new, only.properties["model"]) == (False, "n")
