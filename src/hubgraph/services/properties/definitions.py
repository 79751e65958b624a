"""The Properties API v3: list, read, create, update and archive property definitions.

HubSpot's defaults are always there; a portal's custom properties and its edits of
default ones are rows of the ``properties`` table (catalogue.py). Rules and their
sources are in docs/compat.md ("Properties v3").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection

from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.properties import (
    PropertyDefinition,
    PropertyOption,
    field_type_problem,
)
from hubgraph.errors import HubSpotError, ObjectNotFound, ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.properties.catalogue import (
    PortalProperties,
    load_groups,
    load_properties,
)
from hubgraph.services.properties.scopes import property_read_scopes, property_write_scopes
from hubgraph.services.results import BatchOutcome, ItemError
from hubgraph.store import properties as property_store

# Up to ten unique-value properties per object (reference §1.3).
MAX_UNIQUE_PROPERTIES = 10
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_BOOL_OPTIONS = (
    PropertyOption("Yes", "true", display_order=0),
    PropertyOption("No", "false", display_order=1),
)


class PropertyAlreadyExists(HubSpotError):
    """409 for a name in use (legacy v2 docs: 409; the v3 body is UNCONFIRMED)."""

    status_code = 409
    category = "OBJECT_ALREADY_EXISTS"

    def __init__(self, name: str) -> None:
        super().__init__(f"Property named '{name}' already exists.")


def property_not_found(object_type: ObjectType, name: str) -> ObjectNotFound:
    return ObjectNotFound(f"Unable to find property {name} on object type {object_type.id}")


def list_properties(
    services: Services,
    principal: Principal,
    object_type_name: str,
    *,
    archived: bool = False,
    data_sensitivity: str | None = None,
) -> list[PropertyDefinition]:
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(property_read_scopes(object_type))
    with services.database.read() as conn:
        catalogue = load_properties(conn, principal.portal_id, object_type)
    sensitivity = data_sensitivity or "non_sensitive"
    return [d for d in catalogue.listed(archived=archived) if d.data_sensitivity == sensitivity]


def get_property(
    services: Services,
    principal: Principal,
    object_type_name: str,
    name: str,
    *,
    archived: bool = False,
) -> PropertyDefinition:
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(property_read_scopes(object_type))
    with services.database.read() as conn:
        found = load_properties(conn, principal.portal_id, object_type).definitions.get(name)
    if found is None or found.archived != archived:
        raise property_not_found(object_type, name)
    return found


def read_properties(
    services: Services,
    principal: Principal,
    object_type_name: str,
    names: list[str],
    *,
    archived: bool = False,
) -> BatchOutcome[PropertyDefinition]:
    """batch/read: each distinct name once; unknown names are one error item each (207)."""
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(property_read_scopes(object_type))
    with services.database.read() as conn:
        definitions = load_properties(conn, principal.portal_id, object_type).definitions
    outcome: BatchOutcome[PropertyDefinition] = BatchOutcome()
    for name in dict.fromkeys(names):
        found = definitions.get(name)
        if found is None or found.archived != archived:
            error = property_not_found(object_type, name)
            outcome.errors.append(
                ItemError(error.category, error.message, context={"name": [name]})
            )
        else:
            outcome.results.append(found)
    return outcome


def _new_definition(
    catalogue: PortalProperties, groups: Mapping[str, Any], draft: PropertyDefinition, now: int
) -> PropertyDefinition:
    """The definition to store, or the error HubSpot would answer with."""
    if not _NAME.fullmatch(draft.name):
        raise ValidationError(
            f"Property name '{draft.name}' is invalid: it must start with a letter and "
            "contain only letters, numbers and underscores",
            context={"name": [draft.name]},
        )
    if draft.name in catalogue.definitions:
        raise PropertyAlreadyExists(draft.name)
    _check_shape(draft)
    _check_group(catalogue.object_type, groups, draft.group_name)
    if draft.has_unique_value and len(catalogue.unique_names()) >= MAX_UNIQUE_PROPERTIES:
        raise ValidationError(
            f"Object type {catalogue.object_type.id} already has the maximum of "
            f"{MAX_UNIQUE_PROPERTIES} unique value properties"
        )
    options = draft.options or (_BOOL_OPTIONS if draft.type == "bool" else ())
    return replace(
        draft, options=_ordered(options), created_at=now, updated_at=now, hubspot_defined=False
    )


def _check_shape(definition: PropertyDefinition) -> None:
    problem = field_type_problem(definition.type, definition.field_type)
    if problem is not None:
        raise ValidationError(problem, context={"fieldType": [definition.field_type]})
    values = [o.value for o in definition.options]
    duplicates = sorted({v for v in values if values.count(v) > 1})
    if duplicates:
        raise ValidationError(f"Duplicate option values: {', '.join(duplicates)}")


def _check_group(object_type: ObjectType, groups: Mapping[str, Any], group_name: str) -> None:
    group = groups.get(group_name)
    if group is None or group.archived:
        raise ValidationError(
            f"Property group {group_name} does not exist for object type {object_type.id}",
            context={"groupName": [group_name]},
        )


def _ordered(options: tuple[PropertyOption, ...]) -> tuple[PropertyOption, ...]:
    """Options keep their order; one without ``displayOrder`` gets its position."""
    return tuple(
        o if o.display_order >= 0 else replace(o, display_order=i) for i, o in enumerate(options)
    )


def create_property(
    services: Services, principal: Principal, object_type_name: str, draft: PropertyDefinition
) -> PropertyDefinition:
    outcome = create_properties(services, principal, object_type_name, [draft], atomic=True)
    return outcome.results[0]


def create_properties(
    services: Services,
    principal: Principal,
    object_type_name: str,
    drafts: list[PropertyDefinition],
    *,
    atomic: bool = False,
) -> BatchOutcome[PropertyDefinition]:
    """Each valid draft is created; with ``atomic`` the first problem fails the request."""
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(property_write_scopes(object_type))
    outcome: BatchOutcome[PropertyDefinition] = BatchOutcome()
    now = now_ms()
    with services.database.write() as conn:
        property_store.lock_properties(conn, principal.portal_id, object_type.id)
        catalogue = load_properties(conn, principal.portal_id, object_type)
        groups = load_groups(conn, principal.portal_id, object_type)
        for draft in drafts:
            try:
                definition = _new_definition(catalogue, groups, draft, now)
            except HubSpotError as error:
                if atomic:
                    raise
                outcome.errors.append(
                    ItemError(error.category, error.message, context={"name": [draft.name]})
                )
                continue
            property_store.save_property(conn, principal.portal_id, object_type.id, definition)
            catalogue.definitions[definition.name] = definition
            outcome.results.append(definition)
    return outcome


def add_properties(
    conn: Connection,
    portal_id: int,
    object_type: ObjectType,
    drafts: list[PropertyDefinition],
) -> list[PropertyDefinition]:
    """Create properties inside the caller's transaction (a custom object's schema), with
    the rules of ``create_properties``; the first problem raises."""
    now = now_ms()
    property_store.lock_properties(conn, portal_id, object_type.id)
    catalogue = load_properties(conn, portal_id, object_type)
    groups = load_groups(conn, portal_id, object_type)
    created: list[PropertyDefinition] = []
    for draft in drafts:
        definition = _new_definition(catalogue, groups, draft, now)
        property_store.save_property(conn, portal_id, object_type.id, definition)
        catalogue.definitions[definition.name] = definition
        created.append(definition)
    return created


def update_property(
    services: Services,
    principal: Principal,
    object_type_name: str,
    name: str,
    changes: Mapping[str, Any],
) -> PropertyDefinition:
    """PATCH: the fields sent replace the definition's (``PropertyUpdate``)."""
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(property_write_scopes(object_type))
    with services.database.write() as conn:
        property_store.lock_properties(conn, principal.portal_id, object_type.id)
        current = _live(conn, principal.portal_id, object_type, name)
        if current.read_only_definition:
            raise ValidationError(
                f"Property {name} is a HubSpot-defined property whose definition is read only",
                context={"name": [name]},
            )
        updated = replace(current, **changes, updated_at=now_ms())
        if "options" in changes:
            updated = replace(updated, options=_ordered(updated.options))
        _check_shape(updated)
        if "group_name" in changes:
            groups = load_groups(conn, principal.portal_id, object_type)
            _check_group(object_type, groups, updated.group_name)
        property_store.save_property(conn, principal.portal_id, object_type.id, updated)
    return updated


def _live(
    conn: Connection, portal_id: int, object_type: ObjectType, name: str
) -> PropertyDefinition:
    found = load_properties(conn, portal_id, object_type).live(name)
    if found is None:
        raise property_not_found(object_type, name)
    return found


def archive_property(
    services: Services, principal: Principal, object_type_name: str, name: str
) -> None:
    """Move a custom property to the recycle bin; HubSpot's defaults can't be archived."""
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(property_write_scopes(object_type))
    with services.database.write() as conn:
        current = _live(conn, principal.portal_id, object_type, name)
        _archive(conn, principal.portal_id, object_type, current)


def _archive(
    conn: Connection, portal_id: int, object_type: ObjectType, current: PropertyDefinition
) -> None:
    if not current.archivable:
        raise ValidationError(
            f"Property {current.name} is a HubSpot-defined property and cannot be archived",
            context={"name": [current.name]},
        )
    now = now_ms()
    archived = replace(current, archived_at=now, updated_at=now)
    property_store.save_property(conn, portal_id, object_type.id, archived)


def archive_properties(
    services: Services, principal: Principal, object_type_name: str, names: list[str]
) -> None:
    """batch/archive: 204 "regardless of the initial state of the property" (spec)."""
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(property_write_scopes(object_type))
    with services.database.write() as conn:
        catalogue = load_properties(conn, principal.portal_id, object_type)
        for name in dict.fromkeys(names):
            current = catalogue.live(name)
            if current is not None and current.archivable:
                _archive(conn, principal.portal_id, object_type, current)
