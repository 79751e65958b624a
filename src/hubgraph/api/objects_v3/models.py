"""Request models and renderers, named as HubSpot's objects v3 spec names its schemas."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, TypeAdapter
from starlette.requests import Request

from hubgraph.api.http.body import HubSpotModel
from hubgraph.domain.association_types import Category
from hubgraph.domain.system_properties import WRITABLE, always_returned, derived_value
from hubgraph.services.associations.embedded_reads import CollectionResponseAssociatedId
from hubgraph.services.clock import iso
from hubgraph.services.records.creation import AssociationInput, ObjectInput
from hubgraph.services.records.reads import CrmObject
from hubgraph.services.records.updates import ObjectUpdate
from hubgraph.services.records.upsert import UpsertInput


def _stringify(value: object) -> object:
    # HubSpot stores every property value as a string; booleans read back as "true"/"false".
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


PropertyValue = Annotated[str | None, BeforeValidator(_stringify)]


class PublicObjectId(HubSpotModel):
    id: str
    """A number or a string of digits: the docs use both (reference §10.2)."""


class AssociationSpec(HubSpotModel):
    associationCategory: Category
    associationTypeId: int


class PublicAssociationsForObject(HubSpotModel):
    to: PublicObjectId
    types: list[AssociationSpec]

    def as_input(self) -> AssociationInput:
        return AssociationInput(
            self.to.id, [(t.associationCategory, t.associationTypeId) for t in self.types]
        )


class SimplePublicObjectInputForCreate(HubSpotModel):
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    associations: list[PublicAssociationsForObject] = Field(default_factory=list)

    def as_input(self, trace_id: str | None = None) -> ObjectInput:
        return ObjectInput(self.properties, [a.as_input() for a in self.associations], trace_id)


class SimplePublicObjectBatchInputForCreate(SimplePublicObjectInputForCreate):
    objectWriteTraceId: str | None = None


class BatchInputSimplePublicObjectBatchInputForCreate(HubSpotModel):
    inputs: list[SimplePublicObjectBatchInputForCreate]


class SimplePublicObjectInput(HubSpotModel):
    properties: dict[str, PropertyValue] = Field(default_factory=dict)


class SimplePublicObjectBatchInput(HubSpotModel):
    id: str
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    idProperty: str | None = None
    objectWriteTraceId: str | None = None

    def as_update(self) -> ObjectUpdate:
        return ObjectUpdate(self.id, self.properties, self.idProperty, self.objectWriteTraceId)


class BatchInputSimplePublicObjectBatchInput(HubSpotModel):
    inputs: list[SimplePublicObjectBatchInput]


class SimplePublicObjectBatchInputUpsert(HubSpotModel):
    id: str
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    idProperty: str | None = None
    objectWriteTraceId: str | None = None

    def as_upsert(self) -> UpsertInput:
        return UpsertInput(self.id, self.idProperty, self.properties, self.objectWriteTraceId)


class BatchInputSimplePublicObjectBatchInputUpsert(HubSpotModel):
    inputs: list[SimplePublicObjectBatchInputUpsert]


class PublicMergeInput(HubSpotModel):
    primaryObjectId: str
    objectIdToMerge: str


class SimplePublicObjectId(HubSpotModel):
    id: str


class BatchReadInputSimplePublicObjectId(HubSpotModel):
    inputs: list[SimplePublicObjectId]
    properties: list[str] = Field(default_factory=list)
    propertiesWithHistory: list[str] = Field(default_factory=list)
    idProperty: str | None = None


class BatchInputSimplePublicObjectId(HubSpotModel):
    inputs: list[SimplePublicObjectId]


OBJECT_INPUT = TypeAdapter(SimplePublicObjectInputForCreate)
BATCH_OBJECT_INPUT = TypeAdapter(BatchInputSimplePublicObjectBatchInputForCreate)
OBJECT_UPDATE = TypeAdapter(SimplePublicObjectInput)
BATCH_OBJECT_UPDATE = TypeAdapter(BatchInputSimplePublicObjectBatchInput)
BATCH_OBJECT_UPSERT = TypeAdapter(BatchInputSimplePublicObjectBatchInputUpsert)
MERGE_INPUT = TypeAdapter(PublicMergeInput)
BATCH_READ_INPUT = TypeAdapter(BatchReadInputSimplePublicObjectId)
BATCH_OBJECT_IDS = TypeAdapter(BatchInputSimplePublicObjectId)


def simple_public_object(obj: CrmObject, only: list[str] | None = None) -> dict[str, Any]:
    """``SimplePublicObject``; the properties HubSpot maintains are derived, never stored.

    Without ``only``, every stored property; with it, exactly those (null when unset).
    Either way the type's always-returned system properties are there (reference §1.6).
    """
    row = obj.row
    type_id = obj.object_type.id
    stored = row.properties
    names = list(stored if only is None else only)
    names += [n for n in always_returned(type_id) if n not in names]
    properties: dict[str, str | None] = {}
    for name in names:
        derived = derived_value(type_id, name, row.id, row.created_at, row.updated_at, iso)
        keep_stored = derived is None or (name in WRITABLE and name in stored)
        properties[name] = stored.get(name) if keep_stored else derived
    body: dict[str, Any] = {
        "id": str(row.id),
        "properties": properties,
        "createdAt": iso(row.created_at),
        "updatedAt": iso(row.updated_at),
        "archived": row.archived_at is not None,
    }
    if row.archived_at is not None:
        body["archivedAt"] = iso(row.archived_at)
    if obj.object_write_trace_id is not None:
        body["objectWriteTraceId"] = obj.object_write_trace_id
    if obj.new is not None:
        body["new"] = obj.new
    if obj.associations:
        body["associations"] = {
            name: collection_response_associated_id(c) for name, c in obj.associations.items()
        }
    return body


def next_page(request: Request, after: str) -> dict[str, str]:
    """``paging.next``: the cursor and ``link``, this request's URL with the next ``after``
    (reference §6.5: dlt and other clients follow ``link``)."""
    link = request.url.include_query_params(after=after)
    return {"after": after, "link": str(link)}


def collection_response_associated_id(c: CollectionResponseAssociatedId) -> dict[str, Any]:
    """One entry per association type, so an id repeats; ids are strings (reference §10.3)."""
    body: dict[str, Any] = {"results": [{"id": str(a.id), "type": a.type} for a in c.results]}
    if c.after is not None:
        body["paging"] = {"next": {"after": c.after}}
    return body


def requested_properties(values: list[str] | None) -> list[str] | None:
    """``?properties=a,b`` and ``?properties=a&properties=b`` (the SDK's form) alike."""
    if not values:
        return None
    return [name.strip() for value in values for name in value.split(",") if name.strip()]
