"""The schemas API's rules through the official SDK against a real server (both databases):
name rules, the per-portal limit, and the four custom-object scopes, each refusal included."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hubspot import Client
from hubspot.crm.associations.v4.exceptions import ApiException as V4ApiException
from hubspot.crm.objects import SimplePublicObjectInput, SimplePublicObjectInputForCreate
from hubspot.crm.objects.exceptions import ApiException as ObjectsApiException
from hubspot.crm.properties.exceptions import ApiException as PropertiesApiException
from hubspot.crm.schemas import (
    AssociationDefinitionEgg,
    ObjectSchema,
    ObjectSchemaEgg,
    ObjectTypeDefinitionLabels,
    ObjectTypeDefinitionPatch,
    ObjectTypePropertyCreate,
)
from hubspot.crm.schemas.exceptions import ApiException

from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.services.custom_objects.schemas import SCHEMA_LIMIT
from hubgraph.testing import ServerThread
from tests.support.portals import Portal
from tests.support.sdk import create_records

Refusal = (ApiException, ObjectsApiException, PropertiesApiException, V4ApiException)


def _egg(name: str, singular: str = "Boat", plural: str = "Boats") -> ObjectSchemaEgg:
    return ObjectSchemaEgg(
        name=name,
        labels=ObjectTypeDefinitionLabels(singular=singular, plural=plural),
        required_properties=["hull"],
        properties=[
            ObjectTypePropertyCreate(name="hull", label="Hull", type="string", field_type="text")
        ],
        associated_objects=["0-1"],
    )


def _refused(call: Callable[[], object], status: int) -> dict[str, object]:
    with pytest.raises(Refusal) as refused:
        call()
    assert refused.value.status == status, refused.value.body
    body: dict[str, object] = json.loads(refused.value.body)
    return body


@pytest.mark.parametrize("name", ["1boats", "_boats", "my-boats", "my boats", "bøats", ""])
def test_names_follow_the_guide(sdk: Client, name: str) -> None:
    body = _refused(lambda: sdk.crm.schemas.core_api.create(_egg(name)), 400)
    assert body["category"] == "VALIDATION_ERROR"
    assert sdk.crm.schemas.core_api.get_all().results == []


def test_valid_names_and_their_case(sdk: Client) -> None:
    core = sdk.crm.schemas.core_api
    created = core.create(_egg("Boats_2"))
    assert created.name == "Boats_2"
    assert created.fully_qualified_name.endswith("_Boats_2")
    # The name is unique in any case; labels may not be blank.
    body = _refused(lambda: core.create(_egg("BOATS_2")), 409)
    assert body["category"] == "OBJECT_ALREADY_EXISTS"
    body = _refused(lambda: core.create(_egg("sails", singular=" ")), 400)
    assert body["category"] == "VALIDATION_ERROR"


def test_per_portal_limit(sdk: Client, server: ServerThread, other_portal: Portal) -> None:
    core = sdk.crm.schemas.core_api
    made = [core.create(_egg(f"kind_{i}")) for i in range(SCHEMA_LIMIT)]
    body = _refused(lambda: core.create(_egg("one_more")), 400)
    assert body["category"] == "VALIDATION_ERROR"
    assert str(SCHEMA_LIMIT) in str(body["message"])
    # The limit is the portal's: another portal starts from none.
    other = Client.create(access_token=other_portal.token, host=server.base_url)
    assert other.crm.schemas.core_api.create(_egg("kind_0")).name == "kind_0"
    # An archived schema no longer counts.
    core.archive(made[0].object_type_id)
    assert core.create(_egg("one_more")).name == "one_more"
    assert len(core.get_all().results) == SCHEMA_LIMIT


def _client(services: Services, server: ServerThread, portal: Portal, *scopes: str) -> Client:
    token = portals.create_token(services, portal.id, list(scopes))
    return Client.create(access_token=token, host=server.base_url)


def test_scopes(sdk: Client, services: Services, server: ServerThread, portal: Portal) -> None:
    schema: ObjectSchema = sdk.crm.schemas.core_api.create(_egg("boats"))
    t = str(schema.object_type_id)
    boat = sdk.crm.objects.basic_api.create(
        t, SimplePublicObjectInputForCreate(properties={"hull": "H"})
    ).id
    [contact] = create_records(sdk, "contacts", 1)

    def schema_writes(c: Client) -> list[Callable[[], object]]:
        core = c.crm.schemas.core_api
        return [
            lambda: core.create(_egg("sails")),
            lambda: core.update(t, ObjectTypeDefinitionPatch(description="x")),
            lambda: core.create_association(
                t, AssociationDefinitionEgg(from_object_type_id=t, to_object_type_id="0-3")
            ),
            lambda: core.archive(t),
        ]

    def schema_reads(c: Client) -> list[Callable[[], object]]:
        core = c.crm.schemas.core_api
        return [lambda: core.get_all(), lambda: core.get_by_id(t)]

    def record_reads(c: Client) -> list[Callable[[], object]]:
        return [
            lambda: c.crm.objects.basic_api.get_by_id(t, boat),
            lambda: c.crm.objects.basic_api.get_page(t),
        ]

    def record_writes(c: Client) -> list[Callable[[], object]]:
        basic = c.crm.objects.basic_api
        return [
            lambda: basic.create(t, SimplePublicObjectInputForCreate(properties={"hull": "J"})),
            lambda: basic.update(t, boat, SimplePublicObjectInput(properties={"hull": "K"})),
            lambda: c.crm.associations.v4.basic_api.create_default(t, boat, "contacts", contact),
        ]

    def ok(calls: list[Callable[[], object]]) -> None:
        for call in calls:
            call()

    def forbidden(calls: list[Callable[[], object]]) -> None:
        for call in calls:
            body = _refused(call, 403)
            assert body["category"] == "MISSING_SCOPES"

    schemas_read = _client(services, server, portal, "crm.schemas.custom.read")
    ok(schema_reads(schemas_read))
    forbidden(
        schema_writes(schemas_read) + record_reads(schemas_read) + record_writes(schemas_read)
    )

    objects_read = _client(services, server, portal, "crm.objects.custom.read")
    ok(schema_reads(objects_read) + record_reads(objects_read))
    forbidden(schema_writes(objects_read) + record_writes(objects_read))

    objects_write = _client(
        services, server, portal, "crm.objects.custom.write", "crm.objects.contacts.write"
    )
    ok(record_writes(objects_write))
    forbidden(schema_writes(objects_write))

    contacts_only = _client(
        services, server, portal, "crm.objects.contacts.read", "crm.objects.contacts.write"
    )
    # (an association write needs a write scope of either side, docs/compat.md)
    forbidden(
        schema_reads(contacts_only)
        + schema_writes(contacts_only)
        + record_reads(contacts_only)
        + record_writes(contacts_only)[:2]
    )
    # The schema's properties: read with a schemas scope, refused without one.
    ok([lambda: schemas_read.crm.properties.core_api.get_all(t)])
    forbidden([lambda: contacts_only.crm.properties.core_api.get_all(t)])

    schemas_write = _client(services, server, portal, "crm.schemas.custom.write")
    ok(schema_writes(schemas_write)[:3])
    forbidden(record_writes(schemas_write)[:2])
