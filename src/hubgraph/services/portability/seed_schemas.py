"""The ``schemas`` section of a seed file: custom objects, made first in the seed's transaction.

    schemas:
      - name: cars                                   # ObjectSchemaEgg's field names
        labels: {singular: Car, plural: Cars}
        requiredProperties: [model]
        primaryDisplayProperty: model
        properties:
          - {name: model, label: Model}              # type string, fieldType text by default
          - {name: vin, label: VIN, hasUniqueValue: true}
          - {name: color, label: Color, type: enumeration, fieldType: select,
             options: [{label: Red, value: red}]}
        associatedObjects: [contacts, companies]     # names or ids (0-1, CONTACT, …)
    records:
      cars:                                          # this file's schema, by its name
        - {ref: beetle, properties: {model: Beetle}}

The schema is created as ``POST /crm-object-schemas/v3/schemas`` creates it (same rules,
same errors, same ``2-<n>`` ids). Records and associations in the same file may name the
type by the schema's ``name``: the file can't know the id the portal will give it. The
API never accepts the bare name (reference §6.5); a seed file is hubgraph's own format.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from hubgraph.domain.properties import PropertyDefinition, PropertyOption
from hubgraph.errors import HubSpotError
from hubgraph.services.context import Services
from hubgraph.services.custom_objects.schemas import CustomSchema, SchemaDraft, create_schema_in
from hubgraph.services.portability.loading import rejected

SCHEMA_FIELDS = {
    "name",
    "labels",
    "properties",
    "requiredProperties",
    "associatedObjects",
    "searchableProperties",
    "primaryDisplayProperty",
    "secondaryDisplayProperties",
    "description",
    "shouldCreateSameObjectAssociation",
}
PROPERTY_FIELDS = {
    "name",
    "label",
    "type",
    "fieldType",
    "groupName",
    "description",
    "hasUniqueValue",
    "options",
    "displayOrder",
    "hidden",
    "formField",
}
OPTION_FIELDS = {"label", "value", "description", "displayOrder", "hidden"}


def seed_schemas(
    services: Services, conn: Connection, portal_id: int, items: object
) -> list[CustomSchema]:
    if not isinstance(items, list):
        raise rejected("schemas", "must be a list of schemas (ObjectSchemaEgg)")
    created = []
    for index, item in enumerate(items):
        where = f"schemas[{index}]"
        draft = _draft(where, item)
        try:
            created.append(create_schema_in(services, conn, portal_id, draft))
        except HubSpotError as exc:
            raise rejected(where, exc.message) from None
    return created


def _draft(where: str, item: object) -> SchemaDraft:
    if not isinstance(item, Mapping) or set(item) - SCHEMA_FIELDS or "name" not in item:
        raise rejected(where, f"a schema is an object with {', '.join(sorted(SCHEMA_FIELDS))}")
    labels = item.get("labels")
    if not isinstance(labels, Mapping) or not {"singular", "plural"} <= set(labels):
        raise rejected(f"{where}.labels", "must be {singular, plural}")
    properties = item.get("properties") or []
    if not isinstance(properties, list):
        raise rejected(f"{where}.properties", "must be a list of properties")
    searchable = item.get("searchableProperties")
    return SchemaDraft(
        name=str(item["name"]),
        singular=str(labels["singular"]),
        plural=str(labels["plural"]),
        properties=[_property(f"{where}.properties[{i}]", p) for i, p in enumerate(properties)],
        required=_names(f"{where}.requiredProperties", item.get("requiredProperties")),
        associated_objects=_names(f"{where}.associatedObjects", item.get("associatedObjects")),
        searchable=None if searchable is None else _names(f"{where}.searchable", searchable),
        primary_display=_text(item.get("primaryDisplayProperty")),
        secondary_display=_names(
            f"{where}.secondaryDisplayProperties", item.get("secondaryDisplayProperties")
        ),
        description=_text(item.get("description")),
        same_object_association=bool(item.get("shouldCreateSameObjectAssociation", False)),
    )


def _property(where: str, item: object) -> PropertyDefinition:
    if not isinstance(item, Mapping) or set(item) - PROPERTY_FIELDS or "name" not in item:
        raise rejected(where, f"a property is an object with {', '.join(sorted(PROPERTY_FIELDS))}")
    options = item.get("options") or []
    if not isinstance(options, list):
        raise rejected(f"{where}.options", "must be a list of {label, value}")
    return PropertyDefinition(
        name=str(item["name"]),
        label=str(item.get("label", item["name"])),
        # The guide's defaults, as the API's ObjectTypePropertyCreate has them.
        type=str(item.get("type", "string")),
        field_type=str(item.get("fieldType", "text")),
        group_name=str(item.get("groupName") or ""),
        description=str(item.get("description") or ""),
        options=tuple(_option(f"{where}.options[{i}]", o) for i, o in enumerate(options)),
        display_order=_int(f"{where}.displayOrder", item.get("displayOrder", -1)),
        hidden=bool(item.get("hidden", False)),
        form_field=bool(item.get("formField", True)),
        has_unique_value=bool(item.get("hasUniqueValue", False)),
    )


def _option(where: str, item: object) -> PropertyOption:
    if not isinstance(item, Mapping) or set(item) - OPTION_FIELDS or "value" not in item:
        raise rejected(where, "an option is an object with label, value (and description, …)")
    return PropertyOption(
        label=str(item.get("label", item["value"])),
        value=str(item["value"]),
        description=str(item.get("description") or ""),
        display_order=_int(f"{where}.displayOrder", item.get("displayOrder", -1)),
        hidden=bool(item.get("hidden", False)),
    )


def _names(where: str, value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise rejected(where, "must be a list of names")
    return list(value)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _int(where: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise rejected(where, f"{value!r} is not a whole number")
    return value
