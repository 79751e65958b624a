"""Property groups (``/crm/v3/properties/{objectType}/groups``)."""

from __future__ import annotations

from dataclasses import replace

from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.properties import PropertyGroup
from hubgraph.errors import HubSpotError, ObjectNotFound, ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.properties.catalogue import load_groups, load_properties
from hubgraph.services.properties.scopes import property_read_scopes, property_write_scopes
from hubgraph.store import properties as property_store


class GroupAlreadyExists(HubSpotError):
    """409 like a property name in use (UNCONFIRMED)."""

    status_code = 409
    category = "OBJECT_ALREADY_EXISTS"

    def __init__(self, name: str) -> None:
        super().__init__(f"Property group named '{name}' already exists.")


def group_not_found(object_type: ObjectType, name: str) -> ObjectNotFound:
    return ObjectNotFound(f"Unable to find property group {name} on object type {object_type.id}")


def list_groups(
    services: Services, principal: Principal, object_type_name: str
) -> list[PropertyGroup]:
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(property_read_scopes(object_type))
    with services.database.read() as conn:
        groups = load_groups(conn, principal.portal_id, object_type)
    return [g for g in groups.values() if not g.archived]


def get_group(
    services: Services, principal: Principal, object_type_name: str, name: str
) -> PropertyGroup:
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(property_read_scopes(object_type))
    with services.database.read() as conn:
        found = load_groups(conn, principal.portal_id, object_type).get(name)
    if found is None or found.archived:
        raise group_not_found(object_type, name)
    return found


def create_group(
    services: Services, principal: Principal, object_type_name: str, group: PropertyGroup
) -> PropertyGroup:
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(property_write_scopes(object_type))
    if not group.name.strip() or not group.label.strip():
        raise ValidationError("A property group needs a name and a label")
    with services.database.write() as conn:
        property_store.lock_properties(conn, principal.portal_id, object_type.id)
        existing = load_groups(conn, principal.portal_id, object_type).get(group.name)
        if existing is not None and not existing.archived:
            raise GroupAlreadyExists(group.name)
        property_store.save_group(conn, principal.portal_id, object_type.id, group, now_ms())
    return group


def update_group(
    services: Services,
    principal: Principal,
    object_type_name: str,
    name: str,
    label: str | None,
    display_order: int | None,
) -> PropertyGroup:
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(property_write_scopes(object_type))
    with services.database.write() as conn:
        current = load_groups(conn, principal.portal_id, object_type).get(name)
        if current is None or current.archived:
            raise group_not_found(object_type, name)
        updated = replace(
            current,
            label=current.label if label is None else label,
            display_order=current.display_order if display_order is None else display_order,
        )
        property_store.save_group(conn, principal.portal_id, object_type.id, updated, now_ms())
    return updated


def archive_group(
    services: Services, principal: Principal, object_type_name: str, name: str
) -> None:
    """A group that still holds live properties is refused (UNCONFIRMED wording)."""
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(property_write_scopes(object_type))
    with services.database.write() as conn:
        property_store.lock_properties(conn, principal.portal_id, object_type.id)
        current = load_groups(conn, principal.portal_id, object_type).get(name)
        if current is None or current.archived:
            raise group_not_found(object_type, name)
        members = load_properties(conn, principal.portal_id, object_type).listed(archived=False)
        if any(d.group_name == name for d in members):
            raise ValidationError(
                f"Property group {name} still contains properties; move or archive them first",
                context={"groupName": [name]},
            )
        archived = replace(current, archived=True)
        property_store.save_group(conn, principal.portal_id, object_type.id, archived, now_ms())
