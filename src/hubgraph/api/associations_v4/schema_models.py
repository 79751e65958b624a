"""Request models and response renderers of the Associations Schema v4 API (labels, limits),
named as HubSpot's ``associationsSchema.json`` names its schemas."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from hubgraph.api.http.body import HubSpotModel
from hubgraph.domain.association_types import AssociationType
from hubgraph.services.schema.limit_configurations import ConfiguredLimit

# The spec types ids and limits as int32; larger numbers are refused as malformed input.
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]

# The spec's enum; WORK is accepted in input and then refused as an unknown type.
CategoryName = Literal["HUBSPOT_DEFINED", "INTEGRATOR_DEFINED", "USER_DEFINED", "WORK"]


class PublicAssociationDefinitionCreateRequest(HubSpotModel):
    name: str
    label: str
    inverseLabel: str | None = None


class PublicAssociationDefinitionUpdateRequest(HubSpotModel):
    associationTypeId: Int32
    label: str
    inverseLabel: str | None = None


class PublicAssociationDefinitionConfigurationCreateRequest(HubSpotModel):
    category: CategoryName
    typeId: Int32
    maxToObjectIds: Int32


class BatchInputPublicAssociationDefinitionConfigurationCreateRequest(HubSpotModel):
    inputs: list[PublicAssociationDefinitionConfigurationCreateRequest]


# The update request has the same fields as the create request.
PublicAssociationDefinitionConfigurationUpdateRequest = (
    PublicAssociationDefinitionConfigurationCreateRequest
)
BatchInputPublicAssociationDefinitionConfigurationUpdateRequest = (
    BatchInputPublicAssociationDefinitionConfigurationCreateRequest
)


class PublicAssociationSpec(HubSpotModel):
    category: str
    typeId: Int32


class BatchInputPublicAssociationSpec(HubSpotModel):
    inputs: list[PublicAssociationSpec]


DEFINITION_CREATE = TypeAdapter(PublicAssociationDefinitionCreateRequest)
DEFINITION_UPDATE = TypeAdapter(PublicAssociationDefinitionUpdateRequest)
CONFIGURATION_BATCH = TypeAdapter(BatchInputPublicAssociationDefinitionConfigurationCreateRequest)
SPEC_BATCH = TypeAdapter(BatchInputPublicAssociationSpec)


def association_spec_with_label(t: AssociationType) -> dict[str, Any]:
    """``AssociationSpecWithLabel`` as the docs' examples show it; unlabeled → ``null``."""
    return {"category": t.category.value, "typeId": t.type_id, "label": t.label}


def user_configuration(configured: ConfiguredLimit) -> dict[str, Any]:
    """``PublicAssociationDefinitionUserConfiguration``."""
    limit = configured.limit
    return {
        "category": limit.category.value,
        "typeId": limit.type_id,
        "label": configured.label,
        "userEnforcedMaxToObjectIds": limit.max_to_object_ids,
    }


def configuration_update_result(configured: ConfiguredLimit) -> dict[str, Any]:
    """``PublicAssociationDefinitionConfigurationUpdateResult``: no ``label``."""
    limit = configured.limit
    return {
        "category": limit.category.value,
        "typeId": limit.type_id,
        "userEnforcedMaxToObjectIds": limit.max_to_object_ids,
    }
