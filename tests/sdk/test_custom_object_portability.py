"""Custom objects travel with a portal: seed files declare schemas, snapshots and
export/import carry them; read back through the official SDK from a real server."""

from __future__ import annotations

from pathlib import Path

import pytest
from hubspot import Client
from hubspot.crm.objects import SimplePublicObjectInputForCreate
from hubspot.crm.schemas import (
    ObjectSchemaEgg,
    ObjectTypeDefinitionLabels,
    ObjectTypePropertyCreate,
)
from hubspot.crm.schemas.exceptions import NotFoundException
from sqlalchemy import select, update

from hubgraph.errors import ValidationError
from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.services.portability import snapshots, transfer
from hubgraph.services.portability.seed import parse_fixture, seed_portal
from hubgraph.store.tables import custom_object_type_sequence
from hubgraph.testing import ServerThread
from tests.support.portals import Portal

FIXTURE = b"""
schemas:
  - name: Cars
    labels: {singular: Car, plural: Cars}
    requiredProperties: [model]
    primaryDisplayProperty: model
    properties:
      - {name: model, label: Model}
      - {name: vin, label: VIN, hasUniqueValue: true}
      - {name: color, label: Color, type: enumeration, fieldType: select,
         options: [{label: Red, value: red}, {label: Blue, value: blue}]}
    associatedObjects: [contacts, 0-2]
records:
  cars:
    - {ref: beetle, properties: {model: Beetle, vin: V1, color: red}}
  contacts:
    - {ref: alice, properties: {email: alice@example.com}}
  companies:
    - {ref: acme, properties: {name: Acme}}
associations:
  - {from: beetle, to: alice}
  - {from: acme, to: beetle}
"""


def _egg(name: str) -> ObjectSchemaEgg:
    return ObjectSchemaEgg(
        name=name,
        labels=ObjectTypeDefinitionLabels(singular="Boat", plural="Boats"),
        required_properties=["hull"],
        properties=[
            ObjectTypePropertyCreate(name="hull", label="Hull", type="string", field_type="text")
        ],
        associated_objects=["0-1"],
    )


def test_seed_declares_schemas(sdk: Client, services: Services, portal: Portal) -> None:
    seeded = seed_portal(services, portal.id, parse_fixture(FIXTURE, "crm.yaml")).as_json()
    cars = seeded["schemas"]["Cars"]
    assert cars["fullyQualifiedName"] == f"p{portal.id}_Cars"
    t = cars["objectTypeId"]
    assert seeded["records"]["beetle"]["objectTypeId"] == t
    schema = sdk.crm.schemas.core_api.get_by_id(cars["fullyQualifiedName"])
    assert schema.required_properties == ["model"]
    color = next(p for p in schema.properties if p.name == "color")
    assert [o.value for o in color.options] == ["red", "blue"]
    beetle = seeded["records"]["beetle"]["id"]
    got = sdk.crm.objects.basic_api.get_by_id(
        t, beetle, properties=["model", "color"], associations=["contacts", "companies"]
    )
    assert got.properties["color"] == "red"
    assert [r.id for r in got.associations["contacts"].results] == [
        seeded["records"]["alice"]["id"]
    ]
    assert [r.id for r in got.associations["companies"].results] == [
        seeded["records"]["acme"]["id"]
    ]
    # A seeded schema behaves as an API-made one: its unique property names records.
    by_vin = sdk.crm.objects.basic_api.get_by_id(t, "V1", id_property="vin")
    assert by_vin.id == beetle


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (b"model: Beetle, vin", b"vin"),
            "records.cars[0].properties: Error creating Cars. Some required properties "
            "were not set. (model)",
        ),
        ((b"name: Cars", b"name: 9Cars"), "schemas[0]: Object type name '9Cars' is invalid"),
        ((b"[contacts, 0-2]", b"[contacts, nope]"), "Unable to infer object type from: nope"),
        ((b"{name: model, label: Model}", b"{name: model, lable: Model}"), "schemas[0].prop"),
    ],
)
def test_seed_refuses_a_bad_schema_or_record(
    sdk: Client, services: Services, portal: Portal, change: tuple[bytes, bytes], message: str
) -> None:
    fixture = FIXTURE.replace(*change)
    with pytest.raises(ValidationError) as refused:
        seed_portal(services, portal.id, parse_fixture(fixture, "crm.yaml"))
    assert message in refused.value.message
    # All or nothing: the schema is not there either.
    assert sdk.crm.schemas.core_api.get_all().results == []


def test_snapshot_and_restore_carry_schemas(
    sdk: Client, services: Services, portal: Portal
) -> None:
    core = sdk.crm.schemas.core_api
    boats = core.create(_egg("boats"))
    hull = sdk.crm.objects.basic_api.create(
        boats.object_type_id, SimplePublicObjectInputForCreate(properties={"hull": "H1"})
    )
    saved = snapshots.take_snapshot(services, portal.id)
    sdk.crm.objects.basic_api.archive(boats.object_type_id, hull.id)
    core.archive(boats.object_type_id, archived=True)
    sails = core.create(_egg("sails"))
    snapshots.restore_snapshot(services, portal.id, saved)
    assert [s.object_type_id for s in core.get_all().results] == [boats.object_type_id]
    with pytest.raises(NotFoundException):
        core.get_by_id(sails.object_type_id)
    got = sdk.crm.objects.basic_api.get_by_id(boats.object_type_id, hull.id, properties=["hull"])
    assert got.properties["hull"] == "H1"
    # A schema made after the restore gets a new id, never one handed out before.
    again = core.create(_egg("sails"))
    assert again.object_type_id not in (boats.object_type_id, sails.object_type_id)


def test_import_into_a_server_whose_counter_is_behind(
    sdk: Client, services: Services, server: ServerThread, tmp_path: Path
) -> None:
    boats = sdk.crm.schemas.core_api.create(_egg("boats"))
    number = int(boats.id)
    dump = tmp_path / "dump.jsonl"
    portal_id = int(boats.fully_qualified_name.split("_")[0][1:])
    with dump.open("wb") as out:
        transfer.export_portal(services, portal_id, out)
    copy_id = portals.create_portal(services, "copy")
    transfer.import_portal(services, copy_id, dump)
    seq = custom_object_type_sequence
    with services.database.write() as conn:
        before = conn.execute(select(seq.c.next_number)).scalar_one()
        # A dump from another server: this one's counter has not reached the number yet.
        conn.execute(update(seq).values(next_number=number))
    try:
        copy = Client.create(
            access_token=portals.create_token(services, copy_id), host=server.base_url
        )
        assert copy.crm.schemas.core_api.get_by_id(boats.object_type_id).name == "boats"
        sails = copy.crm.schemas.core_api.create(_egg("sails"))
        assert sails.object_type_id == f"2-{number + 1}"
    finally:
        with services.database.write() as conn:
            current = conn.execute(select(seq.c.next_number)).scalar_one()
            conn.execute(update(seq).values(next_number=max(before, current)))
