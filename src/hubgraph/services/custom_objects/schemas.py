"""The schemas API: create, read, update, archive and purge a portal's custom objects.

A schema is a row of ``custom_object_schemas``; its properties are ordinary property
definitions of type ``2-<n>`` (so ``/crm/v3/properties/2-<n>`` serves them) and its
associations are unlabeled USER_DEFINED association types. Rules and their sources:
docs/compat.md, "Custom objects".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection

from hubgraph.domain.association_types import AssociationType, Category
from hubgraph.domain.object_types import ObjectType, custom_object_type
from hubgraph.domain.properties import PropertyDefinition, PropertyGroup
from hubgraph.errors import HubSpotError, ObjectNotFound, ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.properties.catalogue import load_properties
from hubgraph.services.properties.definitions import add_properties
from hubgraph.store import association_types as type_store
from hubgraph.store import custom_objects as schema_store
from hubgraph.store import properties as property_store
from hubgraph.store.custom_objects import SchemaRow

READ_SCOPES = [
    "crm.schemas.custom.read",
    "crm.objects.custom.read",
    "crm.schemas.custom.write",
]
WRITE_SCOPES = ["crm.schemas.custom.write"]
# The first ``2-<n>`` handed out; HubSpot's are seven digits (reference §6.3).
FIRST_TYPE_NUMBER = 1_000_001
# "An account can have up to 10 CRM custom objects" (reference §6.1, the older custom
# objects page); archived schemas don't count, purged ones are gone (docs/compat.md).
SCHEMA_LIMIT = 10
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class TooManySchemas(ValidationError):
    """400 for a create beyond the portal's limit (reference §6.7: body UNCONFIRMED)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"This portal already has {limit} custom object types, the most it can have. "
            "Archive and purge one before creating another.",
            context={"limit": [str(limit)]},
        )


class SchemaAlreadyExists(HubSpotError):
    """409 for a name in use in the portal (reference §6.7: status UNCONFIRMED)."""

    status_code = 409
    category = "OBJECT_ALREADY_EXISTS"

    def __init__(self, name: str) -> None:
        super().__init__(f"An object type named '{name}' already exists in this portal")


@dataclass(frozen=True, slots=True)
class AssociationDefinition:
    id: int
    from_type: str
    to_type: str
    name: str
    created_at: int


@dataclass(frozen=True, slots=True)
class CustomSchema:
    row: SchemaRow
    properties: list[PropertyDefinition] = field(default_factory=list)
    associations: list[AssociationDefinition] = field(default_factory=list)

    @property
    def object_type_id(self) -> str:
        return self.row.object_type_id

    @property
    def fully_qualified_name(self) -> str:
        return f"p{self.row.portal_id}_{self.row.name}"


@dataclass(frozen=True, slots=True)
class SchemaDraft:
    """``ObjectSchemaEgg``, checked by the HTTP layer's model."""

    name: str
    singular: str
    plural: str
    properties: list[PropertyDefinition]
    required: list[str]
    associated_objects: list[str]
    searchable: list[str] | None = None
    primary_display: str | None = None
    secondary_display: list[str] = field(default_factory=list)
    description: str | None = None
    allows_sensitive_properties: bool = False
    same_object_association: bool = False
    """``shouldCreateSameObjectAssociation``: records of the type associate with each other."""


def _load(conn: Connection, services: Services, row: SchemaRow) -> CustomSchema:
    object_type = custom_object_type(row.object_type_id)
    catalogue = load_properties(conn, row.portal_id, object_type)
    return CustomSchema(
        row,
        [d for d in catalogue.definitions.values() if not d.archived],
        _associations(conn, row.portal_id, row.object_type_id),
    )


def _associations(
    conn: Connection, portal_id: int, object_type_id: str
) -> list[AssociationDefinition]:
    """The schema's unlabeled types, in the direction from the custom object."""
    return [
        AssociationDefinition(t.type_id, t.from_type, t.to_type, name, created_at)
        for t, name, created_at in type_store.named_user_defined_types(conn, portal_id)
        if t.from_type == object_type_id and t.label is None
    ]


def _find(
    conn: Connection, portal_id: int, object_type: str, *, archived: bool = False
) -> SchemaRow:
    found = schema_store.find(conn, portal_id, object_type, archived=archived)
    if found is None:
        raise ObjectNotFound(f"Unable to find object type {object_type}")
    return found


def list_schemas(
    services: Services, principal: Principal, *, archived: bool = False
) -> list[CustomSchema]:
    principal.require_any(READ_SCOPES)
    with services.database.read() as conn:
        rows = schema_store.list_schemas(conn, principal.portal_id, archived=archived)
        return [_load(conn, services, r) for r in rows]


def get_schema(services: Services, principal: Principal, object_type: str) -> CustomSchema:
    principal.require_any(READ_SCOPES)
    with services.database.read() as conn:
        return _load(conn, services, _find(conn, principal.portal_id, object_type))


def _check_names(kind: str, names: list[str], defined: set[str]) -> None:
    unknown = [n for n in names if n not in defined]
    if unknown:
        raise ValidationError(
            f"{kind} refers to properties that are not defined: {', '.join(unknown)}",
            context={kind: unknown},
        )


def _check_display(definition: Mapping[str, Any], defined: set[str]) -> None:
    _check_names("requiredProperties", list(definition["requiredProperties"]), defined)
    _check_names("searchableProperties", list(definition["searchableProperties"]), defined)
    _check_names(
        "secondaryDisplayProperties", list(definition["secondaryDisplayProperties"]), defined
    )
    primary = definition.get("primaryDisplayProperty")
    if primary is not None:
        _check_names("primaryDisplayProperty", [primary], defined)


def _check_draft(draft: SchemaDraft) -> None:
    """The schema guide's name rule (reference §6.2); labels may not be blank."""
    if not _NAME.fullmatch(draft.name):
        raise ValidationError(
            f"Object type name '{draft.name}' is invalid: it can only contain letters, "
            "numbers, and underscores, and the first character must be a letter",
            context={"name": [draft.name]},
        )
    blank = [
        k for k, v in (("singular", draft.singular), ("plural", draft.plural)) if not v.strip()
    ]
    if blank:
        raise ValidationError(
            f"Object type labels must not be blank: {', '.join(blank)}",
            context={"labels": blank},
        )


def create_schema(services: Services, principal: Principal, draft: SchemaDraft) -> CustomSchema:
    principal.require_any(WRITE_SCOPES)
    with services.database.write() as conn:
        return create_schema_in(services, conn, principal.portal_id, draft)


def create_schema_in(
    services: Services, conn: Connection, portal_id: int, draft: SchemaDraft
) -> CustomSchema:
    """Create the schema inside the caller's transaction (the API's, or a seed file's)."""
    _check_draft(draft)
    definition: dict[str, Any] = {
        "labels": {"singular": draft.singular, "plural": draft.plural},
        "requiredProperties": list(draft.required),
        "searchableProperties": list(
            draft.searchable if draft.searchable is not None else draft.required
        ),
        "primaryDisplayProperty": draft.primary_display,
        "secondaryDisplayProperties": list(draft.secondary_display),
        "description": draft.description,
        "allowsSensitiveProperties": draft.allows_sensitive_properties,
    }
    _check_display(definition, {p.name for p in draft.properties})
    targets = [services.object_types.resolve(v, portal_id) for v in draft.associated_objects]
    now = now_ms()
    schema_store.lock_schemas(conn)
    if schema_store.name_taken(conn, portal_id, draft.name):
        raise SchemaAlreadyExists(draft.name)
    if len(schema_store.list_schemas(conn, portal_id, archived=False)) >= SCHEMA_LIMIT:
        raise TooManySchemas(SCHEMA_LIMIT)
    number = schema_store.next_type_number(conn, portal_id, FIRST_TYPE_NUMBER)
    row = SchemaRow(portal_id, number, draft.name, definition, now, now, None)
    schema_store.insert_schema(conn, row)
    object_type = custom_object_type(row.object_type_id)
    group = PropertyGroup(f"{draft.name.lower()}_information", f"{draft.singular} information")
    property_store.save_group(conn, portal_id, object_type.id, group, now)
    drafts = [p if p.group_name else replace(p, group_name=group.name) for p in draft.properties]
    add_properties(conn, portal_id, object_type, drafts)
    if draft.same_object_association:
        targets.append(object_type)
    for target in dict.fromkeys(targets):
        _define_association(conn, portal_id, object_type, target, draft.name, None, now)
    return _load(conn, services, row)


def _define_association(
    conn: Connection,
    portal_id: int,
    custom: ObjectType,
    other: ObjectType,
    schema_name: str,
    name: str | None,
    now: int,
) -> AssociationDefinition:
    """Two unlabeled USER_DEFINED types, one per direction, each the other's inverse."""
    type_store.lock_portal_labels(conn, portal_id)
    existing = [
        t
        for t in type_store.user_defined_types(conn, portal_id)
        if (t.from_type, t.to_type) == (custom.id, other.id) and t.label is None
    ]
    if existing:
        raise ValidationError(
            f"An association between {custom.id} and {other.id} is already defined",
            context={"toObjectTypeId": [other.id]},
        )
    forward_id, backward_id = type_store.allocate_type_ids(conn, portal_id, 2)
    if custom.id == other.id:
        backward_id = forward_id
    other_name = other.singular if not other.is_custom else other.id.replace("-", "_")
    name = name or f"{schema_name.lower()}_to_{other_name}"
    types = [
        AssociationType(Category.USER_DEFINED, forward_id, custom.id, other.id, None, backward_id)
    ]
    if backward_id != forward_id:
        types.append(
            AssociationType(
                Category.USER_DEFINED, backward_id, other.id, custom.id, None, forward_id
            )
        )
    type_store.insert_types(conn, portal_id, types, name, now)
    return AssociationDefinition(forward_id, custom.id, other.id, name, now)


def create_association(
    services: Services,
    principal: Principal,
    object_type: str,
    from_type_name: str,
    to_type_name: str,
    name: str | None,
) -> AssociationDefinition:
    """``POST …/schemas/{objectType}/associations``: one side must be the schema's type."""
    principal.require_any(WRITE_SCOPES)
    portal_id = principal.portal_id
    from_type = services.object_types.resolve(from_type_name, portal_id)
    to_type = services.object_types.resolve(to_type_name, portal_id)
    with services.database.write() as conn:
        row = _find(conn, portal_id, object_type)
        custom = custom_object_type(row.object_type_id)
        if custom not in (from_type, to_type):
            raise ValidationError(
                f"fromObjectTypeId or toObjectTypeId must be {custom.id}",
                context={"fromObjectTypeId": [from_type.id], "toObjectTypeId": [to_type.id]},
            )
        other = to_type if from_type == custom else from_type
        return _define_association(conn, portal_id, custom, other, row.name, name, now_ms())


def archive_association(
    services: Services, principal: Principal, object_type: str, identifier: str
) -> None:
    """``DELETE …/{objectType}/associations/{id}``: both directions of the definition go;
    refused while records are associated with it, as a label in use is."""
    principal.require_any(WRITE_SCOPES)
    portal_id = principal.portal_id
    with services.database.write() as conn:
        row = _find(conn, portal_id, object_type)
        type_store.lock_portal_labels(conn, portal_id)
        found = next(
            (
                a
                for a in _associations(conn, portal_id, row.object_type_id)
                if str(a.id) == identifier
            ),
            None,
        )
        if found is None:
            raise ObjectNotFound(
                f"Unable to find association {identifier} on object type {row.object_type_id}"
            )
        types = {
            t.type_id: t
            for t in type_store.user_defined_types(conn, portal_id)
            if t.type_id == found.id or t.inverse_type_id == found.id
        }
        if type_store.in_use(conn, portal_id, list(types.values())):
            raise ValidationError(
                f"The association {identifier} of {row.object_type_id} is still used by "
                "associations between records. Remove those associations before deleting it.",
                context={"associationIdentifier": [identifier]},
            )
        type_store.delete_types(conn, portal_id, list(types))


def read_schemas(services: Services, principal: Principal, inputs: list[str]) -> list[CustomSchema]:
    """``batch/read``: each schema named once, in input order; unknown names are left out."""
    principal.require_any(READ_SCOPES)
    found: dict[int, CustomSchema] = {}
    with services.database.read() as conn:
        for value in inputs:
            row = schema_store.find(conn, principal.portal_id, value)
            if row is not None and row.type_number not in found:
                found[row.type_number] = _load(conn, services, row)
    return list(found.values())


def update_schema(
    services: Services, principal: Principal, object_type: str, changes: Mapping[str, Any]
) -> CustomSchema:
    """PATCH with ``ObjectTypeDefinitionPatch``: the fields sent replace the schema's."""
    principal.require_any(WRITE_SCOPES)
    with services.database.write() as conn:
        row = _find(conn, principal.portal_id, object_type)
        definition = {**row.definition}
        for key, value in changes.items():
            if key == "labels":
                definition["labels"] = {**definition["labels"], **value}
            elif key == "clearDescription":
                if value:
                    definition["description"] = None
            else:
                definition[key] = value
        live = load_properties(conn, row.portal_id, custom_object_type(row.object_type_id))
        _check_display(definition, {d.name for d in live.definitions.values() if not d.archived})
        updated = replace(row, definition=definition, updated_at=now_ms())
        schema_store.save_schema(conn, updated)
        return _load(conn, services, updated)


def archive_schema(services: Services, principal: Principal, object_type: str) -> None:
    """``DELETE …/{objectType}``: refused while live records exist (reference §6.6)."""
    principal.require_any(WRITE_SCOPES)
    with services.database.write() as conn:
        row = _find(conn, principal.portal_id, object_type)
        _refuse_live_records(conn, row)
        schema_store.save_schema(conn, replace(row, archived_at=now_ms()))


def purge_schema(services: Services, principal: Principal, object_type: str) -> None:
    """``DELETE …/{objectType}?archived=true`` and ``…/purge``: gone for good, name free."""
    principal.require_any(WRITE_SCOPES)
    with services.database.write() as conn:
        row = schema_store.find(conn, principal.portal_id, object_type, archived=True)
        if row is None:
            row = _find(conn, principal.portal_id, object_type)
        _refuse_live_records(conn, row)
        schema_store.purge_schema(conn, row.portal_id, row.object_type_id, row.type_number)


def _refuse_live_records(conn: Connection, row: SchemaRow) -> None:
    live = schema_store.count_live_records(conn, row.portal_id, row.object_type_id)
    if live:
        raise ValidationError(
            f"Object type {row.object_type_id} still has {live} records. You can only "
            "delete a custom object after all records, associations, and properties are "
            "deleted",
            context={"objectType": [row.object_type_id]},
        )
