"""A portal's custom objects travel with its export: schema, properties, records, types."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.services.portability import transfer
from tests.support.portals import Portal

SCHEMAS = "/crm-object-schemas/v3/schemas"


def test_export_import_carries_custom_objects(
    portal: Portal, services: Services, client: TestClient, tmp_path: Path
) -> None:
    schema = portal.post(
        SCHEMAS,
        json={
            "name": "boats",
            "labels": {"singular": "Boat", "plural": "Boats"},
            "requiredProperties": ["hull"],
            "properties": [{"name": "hull", "label": "Hull"}],
            "associatedObjects": ["0-1"],
        },
    ).json()
    type_id = schema["objectTypeId"]
    boat = portal.post(f"/crm/v3/objects/{type_id}", json={"properties": {"hull": "H1"}}).json()
    [contact] = portal.create_records("contacts", 1)
    default = f"/crm/v4/objects/{type_id}/{boat['id']}/associations/default/contacts/{contact}"
    assert portal.put(default).status_code == 200
    dump = tmp_path / "dump.jsonl"
    with dump.open("wb") as out:
        transfer.export_portal(services, portal.id, out)

    target_id = portals.create_portal(services, "copy")
    transfer.import_portal(services, target_id, dump)
    copy = Portal(target_id, portals.create_token(services, target_id), client)
    got = copy.get(f"{SCHEMAS}/{type_id}").json()
    assert got["fullyQualifiedName"] == f"p{target_id}_boats"
    assert got["properties"] == schema["properties"]
    read = copy.get(f"/crm/v3/objects/p{target_id}_boats/{boat['id']}?associations=contacts")
    assert read.json()["properties"]["hull"] == "H1"
    assert [r["id"] for r in read.json()["associations"]["contacts"]["results"]] == [contact]
    # The source keeps its own; the source's qualified name means nothing in the copy.
    assert portal.get(f"{SCHEMAS}/{type_id}").status_code == 200
    assert copy.get(f"{SCHEMAS}/p{portal.id}_boats").status_code == 404
