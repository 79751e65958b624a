"""CRM records (objects v3): just enough for associations to point at real things."""

from __future__ import annotations

from dataclasses import dataclass

from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.scopes import read_scopes, write_scopes
from hubgraph.errors import ObjectNotFound, ValidationError
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.ids import parse_object_id
from hubgraph.services.portals import Principal
from hubgraph.store import objects as object_store
from hubgraph.store import portals as portal_store
from hubgraph.store.objects import ObjectRow

Properties = dict[str, str | None]


@dataclass(frozen=True, slots=True)
class CrmObject:
    object_type: ObjectType
    row: ObjectRow


@dataclass(frozen=True, slots=True)
class ObjectPage:
    objects: list[CrmObject]
    next_after: str | None


def create_objects(
    services: Services, principal: Principal, object_type_name: str, inputs: list[Properties]
) -> list[CrmObject]:
    object_type = services.object_types.resolve(object_type_name)
    principal.require_any(write_scopes(object_type))
    now = now_ms()
    with services.database.write() as conn:
        ids = portal_store.allocate_object_ids(conn, principal.portal_id, len(inputs))
        rows = list(zip(ids, inputs, strict=True))
        object_store.insert_objects(conn, principal.portal_id, object_type.id, rows, now)
    return [
        CrmObject(object_type, ObjectRow(object_id, properties, now, now, None))
        for object_id, properties in rows
    ]


def get_object(
    services: Services,
    principal: Principal,
    object_type_name: str,
    raw_id: str,
    *,
    archived: bool = False,
) -> CrmObject:
    object_type = services.object_types.resolve(object_type_name)
    principal.require_any(read_scopes(object_type))
    object_id = parse_object_id(raw_id)
    row = None
    if object_id is not None:
        with services.database.read() as conn:
            row = object_store.get_object(conn, principal.portal_id, object_type.id, object_id)
    if row is None or (row.archived_at is not None) != archived:
        raise ObjectNotFound()
    return CrmObject(object_type, row)


def list_objects(
    services: Services,
    principal: Principal,
    object_type_name: str,
    *,
    limit: int,
    after: str | None,
    archived: bool,
) -> ObjectPage:
    object_type = services.object_types.resolve(object_type_name)
    principal.require_any(read_scopes(object_type))
    # The cursor is the last id of the previous page. Anything else is refused: silently
    # starting over would send a paging client round in circles (docs/compat.md).
    after_id = parse_object_id(after) if after else None
    if after and after_id is None:
        raise ValidationError(f"Invalid input: after: {after[:100]!r} is not a paging cursor")
    with services.database.read() as conn:
        rows = object_store.list_objects(
            conn,
            principal.portal_id,
            object_type.id,
            archived=archived,
            after_id=after_id or 0,
            limit=limit + 1,
        )
    next_after = str(rows[limit - 1].id) if len(rows) > limit else None
    return ObjectPage([CrmObject(object_type, r) for r in rows[:limit]], next_after)


def archive_object(
    services: Services, principal: Principal, object_type_name: str, raw_id: str
) -> None:
    """Move a record to the recycle bin; archiving what isn't there is a no-op, as on HubSpot."""
    object_type = services.object_types.resolve(object_type_name)
    principal.require_any(write_scopes(object_type))
    object_id = parse_object_id(raw_id)
    if object_id is None:
        return
    with services.database.write() as conn:
        object_store.archive_objects(
            conn, principal.portal_id, object_type.id, [object_id], now_ms()
        )
