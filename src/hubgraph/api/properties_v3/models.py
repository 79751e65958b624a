"""Request models and renderers, named as HubSpot's properties v3 spec names its schemas."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from pydantic import Field, TypeAdapter
from starlette.requests import Request

from hubgraph.api.http.body import HubSpotModel
from hubgraph.domain.properties import PropertyDefinition, PropertyGroup, PropertyOption
from hubgraph.services.clock import iso

PropertyTypeName = Literal[
    "bool", "date", "datetime", "enumeration", "number", "phone_number", "string"
]
FieldTypeName = Literal[
    "booleancheckbox",
    "calculation_equation",
    "checkbox",
    "date",
    "file",
    "html",
    "number",
    "phonenumber",
    "radio",
    "select",
    "text",
    "textarea",
]
DataSensitivity = Literal["highly_sensitive", "non_sensitive", "sensitive"]


class OptionInput(HubSpotModel):
    label: str
    value: str
    hidden: bool = False
    displayOrder: int = -1
    description: str = ""

    def as_option(self) -> PropertyOption:
        return PropertyOption(
            self.label, self.value, self.description, self.displayOrder, self.hidden
        )


class _PropertyFields(HubSpotModel):
    description: str | None = None
    displayOrder: int | None = None
    hidden: bool | None = None
    formField: bool | None = None
    options: list[OptionInput] | None = None
    calculationFormula: str | None = None
    currencyPropertyName: str | None = None
    numberDisplayHint: str | None = None
    textDisplayHint: str | None = None
    dateDisplayHint: str | None = None
    showCurrencySymbol: bool | None = None


class PropertyCreate(_PropertyFields):
    name: str
    label: str
    type: PropertyTypeName
    fieldType: FieldTypeName
    groupName: str
    hasUniqueValue: bool = False
    dataSensitivity: DataSensitivity = "non_sensitive"
    externalOptions: bool = False
    referencedObjectType: str | None = None

    def as_draft(self) -> PropertyDefinition:
        return PropertyDefinition(
            name=self.name,
            label=self.label,
            type=self.type,
            field_type=self.fieldType,
            group_name=self.groupName,
            description=self.description or "",
            options=tuple(o.as_option() for o in self.options or ()),
            display_order=-1 if self.displayOrder is None else self.displayOrder,
            hidden=bool(self.hidden),
            form_field=bool(self.formField),
            has_unique_value=self.hasUniqueValue,
            external_options=self.externalOptions,
            calculation_formula=self.calculationFormula,
            currency_property_name=self.currencyPropertyName,
            referenced_object_type=self.referencedObjectType,
            data_sensitivity=self.dataSensitivity,
            number_display_hint=self.numberDisplayHint,
            text_display_hint=self.textDisplayHint,
            date_display_hint=self.dateDisplayHint,
            show_currency_symbol=self.showCurrencySymbol,
        )


class PropertyUpdate(_PropertyFields):
    label: str | None = None
    type: PropertyTypeName | None = None
    fieldType: FieldTypeName | None = None
    groupName: str | None = None

    def changes(self) -> dict[str, Any]:
        """The fields sent, as ``PropertyDefinition`` field names (null = not sent)."""
        sent = {k: getattr(self, k) for k in self.model_fields_set}
        changes: dict[str, Any] = {}
        for key, value in sent.items():
            if value is None:
                continue
            if key == "options":
                value = tuple(o.as_option() for o in value)
            changes[_FIELD_NAMES[key]] = value
        return changes


_FIELD_NAMES = {
    "label": "label",
    "type": "type",
    "fieldType": "field_type",
    "groupName": "group_name",
    "description": "description",
    "displayOrder": "display_order",
    "hidden": "hidden",
    "formField": "form_field",
    "options": "options",
    "calculationFormula": "calculation_formula",
    "currencyPropertyName": "currency_property_name",
    "numberDisplayHint": "number_display_hint",
    "textDisplayHint": "text_display_hint",
    "dateDisplayHint": "date_display_hint",
    "showCurrencySymbol": "show_currency_symbol",
}


class PropertyName(HubSpotModel):
    name: str


class BatchInputPropertyCreate(HubSpotModel):
    inputs: list[PropertyCreate]


class BatchReadInputPropertyName(HubSpotModel):
    inputs: list[PropertyName]
    archived: bool = False
    dataSensitivity: DataSensitivity | None = None


class BatchInputPropertyName(HubSpotModel):
    inputs: list[PropertyName]


class PropertyGroupCreate(HubSpotModel):
    name: str
    label: str
    displayOrder: int = -1

    def as_group(self) -> PropertyGroup:
        return PropertyGroup(self.name, self.label, self.displayOrder)


class PropertyGroupUpdate(HubSpotModel):
    label: str | None = None
    displayOrder: int | None = Field(default=None)


PROPERTY_CREATE = TypeAdapter(PropertyCreate)
PROPERTY_UPDATE = TypeAdapter(PropertyUpdate)
BATCH_PROPERTY_CREATE = TypeAdapter(BatchInputPropertyCreate)
BATCH_PROPERTY_READ = TypeAdapter(BatchReadInputPropertyName)
BATCH_PROPERTY_NAMES = TypeAdapter(BatchInputPropertyName)
GROUP_CREATE = TypeAdapter(PropertyGroupCreate)
GROUP_UPDATE = TypeAdapter(PropertyGroupUpdate)


def location(request: Request, name: str) -> str:
    """The new resource's URL: this collection's URL and the name, percent-encoded."""
    return f"{str(request.url.replace(query='')).rstrip('/')}/{quote(name, safe='')}"


def option(o: PropertyOption) -> dict[str, Any]:
    body: dict[str, Any] = {"label": o.label, "value": o.value}
    if o.description:
        body["description"] = o.description
    body["displayOrder"] = o.display_order
    body["hidden"] = o.hidden
    return body


def model_property(d: PropertyDefinition) -> dict[str, Any]:
    """``Property`` (the SDK's ``ModelProperty``), fields in the docs' example order."""
    body: dict[str, Any] = {
        "updatedAt": iso(d.updated_at) if d.updated_at is not None else None,
        "createdAt": iso(d.created_at) if d.created_at is not None else None,
        "name": d.name,
        "label": d.label,
        "type": d.type,
        "fieldType": d.field_type,
        "description": d.description,
        "groupName": d.group_name,
        "options": [option(o) for o in d.options],
        "displayOrder": d.display_order,
        "calculated": d.calculated,
        "externalOptions": d.external_options,
        "hasUniqueValue": d.has_unique_value,
        "hidden": d.hidden,
        "hubspotDefined": d.hubspot_defined,
        "modificationMetadata": {
            "archivable": d.archivable,
            "readOnlyDefinition": d.read_only_definition,
            "readOnlyValue": d.read_only_value,
        },
        "formField": d.form_field,
        "dataSensitivity": d.data_sensitivity,
        "archived": d.archived,
    }
    body = {k: v for k, v in body.items() if v is not None}
    optional = {
        "archivedAt": iso(d.archived_at) if d.archived_at is not None else None,
        "calculationFormula": d.calculation_formula,
        "currencyPropertyName": d.currency_property_name,
        "referencedObjectType": d.referenced_object_type,
        "numberDisplayHint": d.number_display_hint,
        "textDisplayHint": d.text_display_hint,
        "dateDisplayHint": d.date_display_hint,
        "showCurrencySymbol": d.show_currency_symbol,
    }
    body.update({k: v for k, v in optional.items() if v is not None})
    return body


def property_group(g: PropertyGroup) -> dict[str, Any]:
    return {
        "name": g.name,
        "label": g.label,
        "displayOrder": g.display_order,
        "archived": g.archived,
    }
