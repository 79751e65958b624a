"""Request models and renderers, named as HubSpot's objects v3 spec names its schemas."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, TypeAdapter

from hubgraph.api.body import HubSpotModel
from hubgraph.services.clock import iso
from hubgraph.services.objects import CrmObject


def _stringify(value: object) -> object:
    # HubSpot stores every property value as a string; booleans read back as "true"/"false".
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


PropertyValue = Annotated[str | None, BeforeValidator(_stringify)]


class PublicAssociationsForObject(HubSpotModel):
    to: dict[str, Any]
    types: list[dict[str, Any]]


class SimplePublicObjectInputForCreate(HubSpotModel):
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    associations: list[PublicAssociationsForObject] = Field(default_factory=list)


class SimplePublicObjectBatchInputForCreate(SimplePublicObjectInputForCreate):
    objectWriteTraceId: str | None = None  # noqa: N815 - HubSpot's field name


class BatchInputSimplePublicObjectBatchInputForCreate(HubSpotModel):
    inputs: list[SimplePublicObjectBatchInputForCreate]


OBJECT_INPUT = TypeAdapter(SimplePublicObjectInputForCreate)
BATCH_OBJECT_INPUT = TypeAdapter(BatchInputSimplePublicObjectBatchInputForCreate)


def simple_public_object(obj: CrmObject, only: list[str] | None = None) -> dict[str, Any]:
    """``SimplePublicObject``; the system properties are derived, never stored."""
    row = obj.row
    stored = row.properties
    properties: dict[str, str | None] = (
        dict(stored) if only is None else {name: stored.get(name) for name in only}
    )
    properties["createdate"] = iso(row.created_at)
    properties["hs_lastmodifieddate"] = iso(row.updated_at)
    properties["hs_object_id"] = str(row.id)
    body: dict[str, Any] = {
        "id": str(row.id),
        "properties": properties,
        "createdAt": iso(row.created_at),
        "updatedAt": iso(row.updated_at),
        "archived": row.archived_at is not None,
    }
    if row.archived_at is not None:
        body["archivedAt"] = iso(row.archived_at)
    return body


def requested_properties(values: list[str] | None) -> list[str] | None:
    """``?properties=a,b`` and ``?properties=a&properties=b`` (the SDK's form) alike."""
    if not values:
        return None
    return [name.strip() for value in values for name in value.split(",") if name.strip()]
