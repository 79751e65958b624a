"""Request models and renderers, named as HubSpot's crm-schemas-v3 spec names its schemas."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, TypeAdapter

from hubgraph.api.http.body import HubSpotModel
from hubgraph.api.properties_v3.models import (
    FieldTypeName,
    OptionInput,
    PropertyTypeName,
    model_property,
)
from hubgraph.domain.properties import PropertyDefinition
from hubgraph.services.clock import iso
from hubgraph.services.custom_objects.schemas import (
    AssociationDefinition,
    CustomSchema,
    SchemaDraft,
)


class ObjectTypeDefinitionLabels(HubSpotModel):
    singular: str
    plural: str


class ObjectTypePropertyCreate(HubSpotModel):
    name: str
    label: str
    # The guide: type defaults to string and fieldType to text (reference §6.2).
    type: PropertyTypeName = "string"
    fieldType: FieldTypeName = "text"
    groupName: str | None = None
    description: str = ""
    displayOrder: int = -1
    hidden: bool = False
    formField: bool = True
    hasUniqueValue: bool = False
    options: list[OptionInput] | None = None
    referencedObjectType: str | None = None
    numberDisplayHint: str | None = None
    textDisplayHint: str | None = None
    showCurrencySymbol: bool | None = None
    searchableInGlobalSearch: bool | None = None
    optionSortStrategy: Literal["ALPHABETICAL", "DISPLAY_ORDER"] | None = None

    def as_draft(self) -> PropertyDefinition:
        return PropertyDefinition(
            name=self.name,
            label=self.label,
            type=self.type,
            field_type=self.fieldType,
            group_name=self.groupName or "",
            description=self.description,
            options=tuple(o.as_option() for o in self.options or ()),
            display_order=self.displayOrder,
            hidden=self.hidden,
            form_field=self.formField,
            has_unique_value=self.hasUniqueValue,
            referenced_object_type=self.referencedObjectType,
            number_display_hint=self.numberDisplayHint,
            text_display_hint=self.textDisplayHint,
            show_currency_symbol=self.showCurrencySymbol,
        )


class ObjectSchemaEgg(HubSpotModel):
    name: str
    labels: ObjectTypeDefinitionLabels
    properties: list[ObjectTypePropertyCreate]
    requiredProperties: list[str]
    associatedObjects: list[str]
    searchableProperties: list[str] | None = None
    primaryDisplayProperty: str | None = None
    secondaryDisplayProperties: list[str] = Field(default_factory=list)
    description: str | None = None
    allowsSensitiveProperties: bool = False
    shouldCreateSameObjectAssociation: bool = False

    def as_draft(self) -> SchemaDraft:
        return SchemaDraft(
            name=self.name,
            singular=self.labels.singular,
            plural=self.labels.plural,
            properties=[p.as_draft() for p in self.properties],
            required=self.requiredProperties,
            associated_objects=self.associatedObjects,
            searchable=self.searchableProperties,
            primary_display=self.primaryDisplayProperty,
            secondary_display=self.secondaryDisplayProperties,
            description=self.description,
            allows_sensitive_properties=self.allowsSensitiveProperties,
            same_object_association=self.shouldCreateSameObjectAssociation,
        )


class LabelsPatch(HubSpotModel):
    singular: str | None = None
    plural: str | None = None


class ObjectTypeDefinitionPatch(HubSpotModel):
    labels: LabelsPatch | None = None
    primaryDisplayProperty: str | None = None
    secondaryDisplayProperties: list[str] | None = None
    searchableProperties: list[str] | None = None
    requiredProperties: list[str] | None = None
    description: str | None = None
    clearDescription: bool | None = None
    allowsSensitiveProperties: bool | None = None
    restorable: bool | None = None

    def changes(self) -> dict[str, Any]:
        """The fields sent (null = not sent); labels keep the half not sent."""
        changes: dict[str, Any] = {}
        for key in self.model_fields_set:
            value = getattr(self, key)
            if value is None or key == "restorable":
                continue
            if isinstance(value, LabelsPatch):
                value = value.model_dump(exclude_none=True)
            changes[key] = value
        return changes


class AssociationDefinitionEgg(HubSpotModel):
    fromObjectTypeId: str
    toObjectTypeId: str
    name: str | None = None


class ObjectSchemaBatchReadRequest(HubSpotModel):
    inputs: list[str]
    includeAssociationDefinitions: bool = True
    includeAuditMetadata: bool = True
    includePropertyDefinitions: bool = True


SCHEMA_CREATE = TypeAdapter(ObjectSchemaEgg)
SCHEMA_BATCH_READ = TypeAdapter(ObjectSchemaBatchReadRequest)
SCHEMA_PATCH = TypeAdapter(ObjectTypeDefinitionPatch)
ASSOCIATION_CREATE = TypeAdapter(AssociationDefinitionEgg)


def association_definition(a: AssociationDefinition) -> dict[str, Any]:
    return {
        "id": str(a.id),
        "fromObjectTypeId": a.from_type,
        "toObjectTypeId": a.to_type,
        "name": a.name,
        "createdAt": iso(a.created_at),
        "updatedAt": iso(a.created_at),
    }


def object_type_definition(s: CustomSchema) -> dict[str, Any]:
    """``ObjectTypeDefinition``: the PATCH response (the schema without its children)."""
    d = s.row.definition
    body: dict[str, Any] = {
        "id": str(s.row.type_number),
        "objectTypeId": s.object_type_id,
        "fullyQualifiedName": s.fully_qualified_name,
        "name": s.row.name,
        "labels": d["labels"],
        "requiredProperties": d["requiredProperties"],
        "searchableProperties": d["searchableProperties"],
        "primaryDisplayProperty": d["primaryDisplayProperty"],
        "secondaryDisplayProperties": d["secondaryDisplayProperties"],
        "allowsSensitiveProperties": d["allowsSensitiveProperties"],
        "archived": s.row.archived_at is not None,
        "portalId": s.row.portal_id,
        "createdAt": iso(s.row.created_at),
        "updatedAt": iso(s.row.updated_at),
    }
    if d.get("description") is not None:
        body["description"] = d["description"]
    if body["primaryDisplayProperty"] is None:
        del body["primaryDisplayProperty"]
    return body


def object_schema(
    s: CustomSchema, *, properties: bool = True, associations: bool = True
) -> dict[str, Any]:
    """``ObjectSchema`` (the airbyte fixture's field set, reference §6.3)."""
    body = object_type_definition(s)
    del body["portalId"]
    body["metaType"] = "PORTAL_SPECIFIC"
    body["restorable"] = True
    body["properties"] = [model_property(p) for p in s.properties] if properties else []
    body["associations"] = (
        [association_definition(a) for a in s.associations] if associations else []
    )
    return body
