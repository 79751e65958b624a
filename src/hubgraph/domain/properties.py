"""Property definitions (``Property`` of the properties v3 spec) and HubSpot's defaults.

Every standard object type starts with HubSpot's default properties and one default
group (``data/properties.json``, reference §1.6-1.7); a portal adds custom properties and
groups, and may edit the definition of a default one that is not ``readOnlyDefinition``.
Definitions here are plain values; the store keeps a portal's own, the services overlay
them on the defaults.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from importlib.resources import files
from typing import Any

# The types a value can have (``Property.type``), and the fieldTypes HubSpot's create
# endpoint takes (``PropertyCreate.fieldType``).
PROPERTY_TYPES = ("bool", "date", "datetime", "enumeration", "number", "phone_number", "string")
FIELD_TYPES = (
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
)

# Reference §1.4 (the properties guide's table); ``phone_number`` is in the spec's create
# enum and HubSpot's own phone properties pair it with ``phonenumber`` (§1.6).
VALID_FIELD_TYPES: dict[str, frozenset[str]] = {
    "bool": frozenset({"booleancheckbox", "calculation_equation"}),
    "enumeration": frozenset(
        {"booleancheckbox", "checkbox", "radio", "select", "calculation_equation"}
    ),
    "date": frozenset({"date"}),
    "datetime": frozenset({"date"}),
    "string": frozenset(
        {"file", "text", "textarea", "calculation_equation", "html", "phonenumber"}
    ),
    "number": frozenset({"number", "calculation_equation"}),
    "phone_number": frozenset({"phonenumber", "text"}),
}


def field_type_problem(property_type: str, field_type: str) -> str | None:
    """Why a ``type``/``fieldType`` pair is refused (reference §1.4), or None when valid."""
    allowed = VALID_FIELD_TYPES.get(property_type)
    if allowed is None:
        return f"{property_type} is not a valid property type"
    if field_type not in allowed:
        listed = ", ".join(sorted(allowed))
        return (
            f"Property type {property_type} does not support fieldType {field_type}; "
            f"valid fieldTypes are [{listed}]"
        )
    return None


@dataclass(frozen=True, slots=True)
class PropertyOption:
    label: str
    value: str
    description: str = ""
    display_order: int = -1
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class PropertyGroup:
    name: str
    label: str
    display_order: int = -1
    archived: bool = False


@dataclass(frozen=True, slots=True)
class PropertyDefinition:
    """One property of one object type, with the spec's ``Property`` fields."""

    name: str
    label: str
    type: str
    field_type: str
    group_name: str
    description: str = ""
    options: tuple[PropertyOption, ...] = ()
    display_order: int = -1
    hidden: bool = False
    form_field: bool = False
    has_unique_value: bool = False
    calculated: bool = False
    external_options: bool = False
    hubspot_defined: bool = False
    read_only_value: bool = False
    read_only_definition: bool = False
    archivable: bool = True
    validation: str | None = None
    """An extra value check HubSpot applies: ``email`` (INVALID_EMAIL)."""
    calculation_formula: str | None = None
    currency_property_name: str | None = None
    referenced_object_type: str | None = None
    data_sensitivity: str = "non_sensitive"
    number_display_hint: str | None = None
    text_display_hint: str | None = None
    date_display_hint: str | None = None
    show_currency_symbol: bool | None = None
    created_at: int | None = None
    updated_at: int | None = None
    archived_at: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Room for keys a later feature adds without a migration."""

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_multi_valued(self) -> bool:
        """Multiple checkboxes: values joined with ``;`` (reference §2.4)."""
        return self.type == "enumeration" and self.field_type == "checkbox"

    def option_values(self) -> list[str]:
        return [o.value for o in self.options]


def definition_to_dict(definition: PropertyDefinition) -> dict[str, Any]:
    """A JSON-able form for the store; ``definition_from_dict`` reads it back."""
    data = asdict(definition)
    data["extra"] = dict(definition.extra)
    return data


def definition_from_dict(data: Mapping[str, Any]) -> PropertyDefinition:
    known = {k: v for k, v in data.items() if k in PropertyDefinition.__dataclass_fields__}
    known["options"] = tuple(PropertyOption(**o) for o in data.get("options") or ())
    return PropertyDefinition(**known)


@dataclass(frozen=True, slots=True)
class DefaultCatalogue:
    """HubSpot's default groups and properties of one object type."""

    groups: tuple[PropertyGroup, ...]
    properties: Mapping[str, PropertyDefinition]


def _default_property(row: Mapping[str, Any]) -> PropertyDefinition:
    read_only_definition = bool(row.get("readOnlyDefinition", False))
    return PropertyDefinition(
        name=row["name"],
        label=row["label"],
        type=row["type"],
        field_type=row["fieldType"],
        group_name=row["groupName"],
        options=tuple(
            PropertyOption(label=o["label"], value=o["value"], display_order=i)
            for i, o in enumerate(row.get("options", ()))
        ),
        has_unique_value=bool(row.get("hasUniqueValue", False)),
        calculated=bool(row.get("calculated", False)),
        external_options=bool(row.get("externalOptions", False)),
        hubspot_defined=True,
        read_only_value=bool(row.get("readOnlyValue", False)),
        read_only_definition=read_only_definition,
        # HubSpot's default properties cannot be archived (modificationMetadata.archivable).
        archivable=False,
        form_field=not read_only_definition,
        validation=row.get("validation"),
    )


@cache
def _catalogues() -> dict[str, DefaultCatalogue]:
    raw = json.loads(files("hubgraph.domain").joinpath("data/properties.json").read_text())
    catalogues: dict[str, DefaultCatalogue] = {}
    for type_id, data in raw["objectTypes"].items():
        groups = tuple(
            PropertyGroup(g["name"], g["label"], g.get("displayOrder", -1)) for g in data["groups"]
        )
        properties = {row["name"]: _default_property(row) for row in data["properties"]}
        catalogues[type_id] = DefaultCatalogue(groups, properties)
    return catalogues


_EMPTY = DefaultCatalogue((), {})


def default_catalogue(object_type_id: str) -> DefaultCatalogue:
    """HubSpot's defaults for a type; a type without any (custom objects) has none."""
    return _catalogues().get(object_type_id, _EMPTY)


def default_properties(object_type_id: str) -> Mapping[str, PropertyDefinition]:
    return default_catalogue(object_type_id).properties


def property_type(object_type_id: str, name: str) -> str | None:
    """The value type (``string``, ``number``, ``datetime`` …) of a default property.

    For code that compares values (search) without a database; a portal's custom
    properties are read through ``services.properties``.
    """
    definition = default_properties(object_type_id).get(name)
    return None if definition is None else definition.type


def with_options(
    definition: PropertyDefinition, options: tuple[PropertyOption, ...]
) -> PropertyDefinition:
    return replace(definition, options=options)
