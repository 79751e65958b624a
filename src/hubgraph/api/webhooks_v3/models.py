"""Request and response bodies of the Webhooks v3 spec (``webhooks-v3.json``), by its names."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter

from hubgraph.services.clock import iso
from hubgraph.services.webhooks.management import SettingsRow, SubscriptionRow


class SpecModel(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ThrottlingSettings(SpecModel):
    maxConcurrentRequests: int
    # Gone from the current spec, still in its examples (reference §1.2): taken and echoed.
    period: str | None = None


class SettingsChangeRequest(SpecModel):
    targetUrl: str
    throttling: ThrottlingSettings


class SubscriptionCreateRequest(SpecModel):
    eventType: str
    propertyName: str | None = None
    active: bool = False
    objectTypeId: str | None = None


class SubscriptionPatchRequest(SpecModel):
    active: bool | None = None


class SubscriptionBatchUpdateRequest(SpecModel):
    id: int
    active: bool


class BatchInputSubscriptionBatchUpdateRequest(SpecModel):
    inputs: list[SubscriptionBatchUpdateRequest]


SETTINGS_CHANGE_REQUEST = TypeAdapter(SettingsChangeRequest)
SUBSCRIPTION_CREATE_REQUEST = TypeAdapter(SubscriptionCreateRequest)
SUBSCRIPTION_PATCH_REQUEST = TypeAdapter(SubscriptionPatchRequest)
BATCH_UPDATE_REQUEST = TypeAdapter(BatchInputSubscriptionBatchUpdateRequest)


def settings_response(s: SettingsRow) -> dict[str, Any]:
    """``SettingsResponse``."""
    throttling: dict[str, Any] = {"maxConcurrentRequests": s.max_concurrent_requests}
    if s.period is not None:
        throttling["period"] = s.period
    body: dict[str, Any] = {
        "createdAt": iso(s.created_at),
        "targetUrl": s.target_url,
        "throttling": throttling,
    }
    if s.updated_at is not None:
        body["updatedAt"] = iso(s.updated_at)
    return body


def subscription_response(s: SubscriptionRow) -> dict[str, Any]:
    """``SubscriptionResponse``: the id is a string here, an int32 in paths (§1.3)."""
    body: dict[str, Any] = {
        "active": s.active,
        "createdAt": iso(s.created_at),
        "eventType": s.event_type,
        "id": str(s.id),
    }
    if s.property_name is not None:
        body["propertyName"] = s.property_name
    if s.object_type_id is not None:
        body["objectTypeId"] = s.object_type_id
    if s.updated_at is not None:
        body["updatedAt"] = iso(s.updated_at)
    return body
