"""/crm-object-schemas/v3/schemas and /crm/v3/schemas: custom object schemas, their records
and the association types they define."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from hubgraph.services.context import Services
from tests.support.portals import Portal, new_portal

SCHEMAS = "/crm-object-schemas/v3/schemas"


def egg(name: str = "cars", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "labels": {"singular": "Car", "plural": "Cars"},
        "primaryDisplayProperty": "model",
        "requiredProperties": ["model"],
        "properties": [
            {"name": "model", "label": "Model"},
            {"name": "vin", "label": "VIN", "hasUniqueValue": True},
            {"name": "year", "label": "Year", "type": "number", "fieldType": "number"},
        ],
        "associatedObjects": ["CONTACT"],
        **extra,
    }


def create(portal: Portal, name: str = "cars", **extra: Any) -> dict[str, Any]:
    response = portal.post(SCHEMAS, json=egg(name, **extra))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def cars(portal: Portal, type_id: str, count: int) -> list[str]:
    inputs = [{"properties": {"model": f"m{i}"}} for i in range(count)]
    response = portal.post(f"/crm/v3/objects/{type_id}/batch/create", json={"inputs": inputs})
    assert response.status_code == 201, response.text
    return [r["id"] for r in response.json()["results"]]


def test_create_renders_object_schema(portal: Portal) -> None:
    body = create(portal)
    assert body["objectTypeId"] == f"2-{body['id']}"
    assert body["fullyQualifiedName"] == f"p{portal.id}_cars"
    assert body["labels"] == {"singular": "Car", "plural": "Cars"}
    assert body["requiredProperties"] == body["searchableProperties"] == ["model"]
    assert body["primaryDisplayProperty"] == "model"
    assert {p["name"] for p in body["properties"]} == {"model", "vin", "year"}
    model = next(p for p in body["properties"] if p["name"] == "model")
    assert (model["type"], model["fieldType"], model["groupName"]) == (
        "string",
        "text",
        "cars_information",
    )
    [association] = body["associations"]
    assert association["fromObjectTypeId"] == body["objectTypeId"]
    assert association["toObjectTypeId"] == "0-1"
    assert association["name"] == "cars_to_contact"


def test_read_under_both_prefixes_by_id_and_qualified_name(portal: Portal) -> None:
    body = create(portal)
    for path in (
        f"{SCHEMAS}/{body['objectTypeId']}",
        f"/crm/v3/schemas/{body['fullyQualifiedName']}",
        f"/crm/v3/schemas/{body['fullyQualifiedName'].upper()}",
    ):
        got = portal.get(path)
        assert got.status_code == 200, path
        assert got.json() == body
    assert [s["objectTypeId"] for s in portal.get("/crm/v3/schemas").json()["results"]] == [
        body["objectTypeId"]
    ]
    # The schema's properties are ordinary properties of its type.
    vin = portal.get(f"/crm/v3/properties/{body['objectTypeId']}/vin")
    assert vin.status_code == 200
    assert vin.json()["hasUniqueValue"] is True


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"name": "1cars"}, 400),
        ({"name": "my-cars"}, 400),
        ({"requiredProperties": ["missing"]}, 400),
        ({"primaryDisplayProperty": "missing"}, 400),
        ({"associatedObjects": ["nope"]}, 400),
    ],
)
def test_bad_schemas_are_refused(portal: Portal, change: dict[str, Any], status: int) -> None:
    response = portal.post(SCHEMAS, json={**egg(), **change})
    assert response.status_code == status, response.text
    assert response.json()["category"] == "VALIDATION_ERROR"
    assert portal.get(SCHEMAS).json()["results"] == []


def test_duplicate_name_is_409_in_any_case(portal: Portal) -> None:
    create(portal)
    response = portal.post(SCHEMAS, json=egg("CARS"))
    assert response.status_code == 409
    assert response.json()["category"] == "OBJECT_ALREADY_EXISTS"


def test_schemas_are_per_portal(portal: Portal, other_portal: Portal) -> None:
    body = create(portal)
    type_id = body["objectTypeId"]
    assert other_portal.get(f"{SCHEMAS}/{type_id}").status_code == 404
    refused = other_portal.post(f"/crm/v3/objects/{type_id}", json={"properties": {}})
    assert refused.status_code == 400
    assert refused.json()["message"] == f"Unable to infer object type from: {type_id}"
    # The same name is free in another portal, under another id.
    assert create(other_portal)["objectTypeId"] != type_id


def test_scopes(services: Services, client: TestClient) -> None:
    reader = new_portal(services, client, ["crm.schemas.custom.read"])
    assert reader.get(SCHEMAS).status_code == 200
    assert reader.post(SCHEMAS, json=egg()).status_code == 403


def test_records_under_every_id_form(portal: Portal) -> None:
    body = create(portal)
    type_id, qualified = body["objectTypeId"], body["fullyQualifiedName"]
    created = portal.post(
        f"/crm/v3/objects/{qualified}", json={"properties": {"model": "T", "vin": "V1"}}
    )
    assert created.status_code == 201, created.text
    record = created.json()
    for form in (type_id, qualified, qualified.upper(), qualified.lower()):
        got = portal.get(f"/crm/v3/objects/{form}/{record['id']}?properties=model")
        assert got.status_code == 200, form
        assert got.json()["properties"]["model"] == "T"
    bare = portal.get(f"/crm/v3/objects/cars/{record['id']}")
    assert bare.status_code == 400
    assert bare.json()["message"] == "Unable to infer object type from: cars"
    # Unique values hold for custom objects too.
    duplicate = portal.post(
        f"/crm/v3/objects/{type_id}", json={"properties": {"model": "U", "vin": "V1"}}
    )
    assert duplicate.status_code == 409


def test_custom_record_and_contact_associate_by_default_both_ways(portal: Portal) -> None:
    type_id = create(portal)["objectTypeId"]
    [car] = cars(portal, type_id, 1)
    [contact] = portal.create_records("contacts", 1)
    labels = portal.get(f"/crm/v4/associations/{type_id}/contacts/labels").json()["results"]
    assert [(t["category"], t["label"]) for t in labels] == [("USER_DEFINED", None)]
    put = portal.put(f"/crm/v4/objects/{type_id}/{car}/associations/default/contacts/{contact}")
    assert put.status_code == 200, put.text
    back = portal.get(f"/crm/v4/objects/contacts/{contact}/associations/{type_id}").json()
    [inverse] = portal.get(f"/crm/v4/associations/contacts/{type_id}/labels").json()["results"]
    assert back["results"] == [
        {
            "toObjectId": int(car),
            "associationTypes": [
                {"category": "USER_DEFINED", "typeId": inverse["typeId"], "label": None}
            ],
        }
    ]
    [other] = cars(portal, type_id, 1)
    batch = portal.post(
        f"/crm/v4/associations/contacts/{type_id}/batch/associate/default",
        json={"inputs": [{"from": {"id": contact}, "to": {"id": other}}]},
    )
    assert batch.status_code == 200, batch.text
    forward = portal.get(f"/crm/v4/objects/{type_id}/{other}/associations/contacts").json()
    assert [r["toObjectId"] for r in forward["results"]] == [int(contact)]


def test_association_endpoint_defines_a_pair(portal: Portal) -> None:
    body = create(portal, associatedObjects=[])
    type_id = body["objectTypeId"]
    response = portal.post(
        f"{SCHEMAS}/{type_id}/associations",
        json={"fromObjectTypeId": type_id, "toObjectTypeId": "company"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["toObjectTypeId"] == "0-2"
    again = portal.post(
        f"{SCHEMAS}/{type_id}/associations",
        json={"fromObjectTypeId": "companies", "toObjectTypeId": type_id},
    )
    assert again.status_code == 400
    [c] = portal.create_records("companies", 1)
    [car] = cars(portal, type_id, 1)
    put = portal.put(f"/crm/v4/objects/companies/{c}/associations/default/{type_id}/{car}")
    assert put.status_code == 200, put.text


def test_update_archive_and_purge(portal: Portal) -> None:
    body = create(portal)
    type_id = body["objectTypeId"]
    patched = portal.request(
        "PATCH",
        f"{SCHEMAS}/{type_id}",
        json={"labels": {"plural": "Autos"}, "searchableProperties": ["vin"]},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["labels"] == {"singular": "Car", "plural": "Autos"}
    assert patched.json()["searchableProperties"] == ["vin"]
    [car] = cars(portal, type_id, 1)
    refused = portal.delete(f"{SCHEMAS}/{type_id}")
    assert refused.status_code == 400
    assert portal.delete(f"/crm/v3/objects/{type_id}/{car}").status_code == 204
    assert portal.delete(f"{SCHEMAS}/{type_id}").status_code == 204
    assert portal.get(f"{SCHEMAS}/{type_id}").status_code == 404
    assert [
        s["objectTypeId"] for s in portal.get(f"{SCHEMAS}?archived=true").json()["results"]
    ] == [type_id]
    # The name stays taken until the hard delete.
    assert portal.post(SCHEMAS, json=egg()).status_code == 409
    assert portal.delete(f"/crm/v3/schemas/{type_id}/purge").status_code == 204
    assert portal.get(f"{SCHEMAS}?archived=true").json()["results"] == []
    assert create(portal)["objectTypeId"] != type_id


def test_create_with_associations_and_embedded_reads(portal: Portal) -> None:
    type_id = create(portal)["objectTypeId"]
    [contact] = portal.create_records("contacts", 1)
    [default] = portal.get(f"/crm/v4/associations/{type_id}/contacts/labels").json()["results"]
    created = portal.post(
        f"/crm/v3/objects/{type_id}",
        json={
            "properties": {"model": "S"},
            "associations": [
                {
                    "to": {"id": contact},
                    "types": [
                        {
                            "associationCategory": "USER_DEFINED",
                            "associationTypeId": default["typeId"],
                        }
                    ],
                }
            ],
        },
    )
    assert created.status_code == 201, created.text
    car = created.json()["id"]
    embedded = portal.get(f"/crm/v3/objects/contacts/{contact}?associations={type_id}").json()
    [result] = embedded["associations"][type_id]["results"]
    assert result["id"] == car
    back = portal.get(f"/crm/v3/objects/{type_id}/{car}?associations=contacts").json()
    assert [r["id"] for r in back["associations"]["contacts"]["results"]] == [contact]


def test_labels_on_a_custom_pair(portal: Portal) -> None:
    type_id = create(portal)["objectTypeId"]
    created = portal.post(
        f"/crm/v4/associations/{type_id}/contacts/labels",
        json={"name": "driver", "label": "Driver", "inverseLabel": "Drives"},
    )
    assert created.status_code == 200, created.text
    labels = portal.get(f"/crm/v4/associations/{type_id}/contacts/labels").json()["results"]
    assert [t["label"] for t in labels] == [None, "Driver"]
    [car] = cars(portal, type_id, 1)
    [contact] = portal.create_records("contacts", 1)
    driver = labels[1]["typeId"]
    put = portal.put(
        f"/crm/v4/objects/{type_id}/{car}/associations/contacts/{contact}",
        json=[{"associationCategory": "USER_DEFINED", "associationTypeId": driver}],
    )
    assert put.status_code == 201, put.text
    back = portal.get(f"/crm/v4/objects/contacts/{contact}/associations/{type_id}").json()
    assert {t["label"] for t in back["results"][0]["associationTypes"]} == {None, "Drives"}
    # A pair the schema did not define takes no labels.
    refused = portal.post(
        f"/crm/v4/associations/{type_id}/deals/labels", json={"name": "x", "label": "X"}
    )
    assert refused.status_code == 400


def test_batch_read(portal: Portal) -> None:
    body = create(portal)
    response = portal.post(
        f"{SCHEMAS}/batch/read",
        json={
            "inputs": [body["fullyQualifiedName"], body["objectTypeId"], "2-1", "cars"],
            "includeAssociationDefinitions": False,
            "includeAuditMetadata": False,
            "includePropertyDefinitions": True,
        },
    )
    assert response.status_code == 200, response.text
    [found] = response.json()["results"]
    assert found["objectTypeId"] == body["objectTypeId"]
    assert found["associations"] == []
    assert len(found["properties"]) == 3


def test_delete_association_definition(portal: Portal) -> None:
    body = create(portal)
    type_id = body["objectTypeId"]
    [definition] = body["associations"]
    path = f"{SCHEMAS}/{type_id}/associations/{definition['id']}"
    [car] = cars(portal, type_id, 1)
    [contact] = portal.create_records("contacts", 1)
    default = f"/crm/v4/objects/{type_id}/{car}/associations/default/contacts/{contact}"
    assert portal.put(default).status_code == 200
    assert portal.delete(path).status_code == 400
    assert (
        portal.delete(
            f"/crm/v4/objects/{type_id}/{car}/associations/contacts/{contact}"
        ).status_code
        == 204
    )
    assert portal.delete(path).status_code == 204
    assert portal.get(f"/crm/v4/associations/contacts/{type_id}/labels").json()["results"] == []
    assert portal.get(f"{SCHEMAS}/{type_id}").json()["associations"] == []
    assert portal.delete(path).status_code == 404


def test_required_properties_on_create(portal: Portal) -> None:
    type_id = create(portal)["objectTypeId"]
    for body in ({"properties": {"vin": "V9"}}, {"properties": {"model": ""}}):
        refused = portal.post(f"/crm/v3/objects/{type_id}", json=body)
        assert refused.status_code == 400, refused.text
        assert refused.json()["message"] == (
            "Error creating cars. Some required properties were not set."
        )
        assert refused.json()["context"] == {"properties": ["model"]}
    batch = portal.post(
        f"/crm/v3/objects/{type_id}/batch/create",
        json={"inputs": [{"properties": {"model": "A"}}, {"properties": {"year": "2020"}}]},
    )
    assert batch.status_code == 400
    assert portal.get(f"/crm/v3/objects/{type_id}").json()["results"] == []


def test_same_object_association(portal: Portal) -> None:
    body = create(portal, shouldCreateSameObjectAssociation=True)
    type_id = body["objectTypeId"]
    assert {a["toObjectTypeId"] for a in body["associations"]} == {"0-1", type_id}
    [a, b] = cars(portal, type_id, 2)
    put = portal.put(f"/crm/v4/objects/{type_id}/{a}/associations/default/{type_id}/{b}")
    assert put.status_code == 200, put.text
    back = portal.get(f"/crm/v4/objects/{type_id}/{b}/associations/{type_id}").json()
    assert [r["toObjectId"] for r in back["results"]] == [int(a)]
