"""CRM records (objects v3): just enough for associations to point at real things."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.scopes import read_scopes, write_scopes
from hubgraph.errors import ObjectNotFound, ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations.embedded_reads import (
    CollectionResponseAssociatedId,
    EmbeddedAssociations,
    RequestedType,
    read_embedded,
)
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.ids import parse_object_id
from hubgraph.services.properties.catalogue import load_properties
from hubgraph.services.properties.unique import find_by_unique
from hubgraph.services.results import BatchOutcome, ItemError
from hubgraph.store import objects as object_store
from hubgraph.store import unique_values as unique_store
from hubgraph.store.objects import ObjectRow

if TYPE_CHECKING:
    # psycopg's async pool: PostgreSQL only (a SQLite worker never loads libpq)
    from hubgraph.store.loop_reads import LoopReadPool

Properties = dict[str, str | None]

# The record id as an idProperty; other idProperty values name unique properties.
ID_PROPERTY = "hs_object_id"
# Ids of records merged away, kept as unique values pointing at the merged record.
MERGED_IDS = "hs_merged_object_ids"


@dataclass(frozen=True, slots=True)
class CrmObject:
    object_type: ObjectType
    row: ObjectRow
    associations: dict[str, CollectionResponseAssociatedId] = field(default_factory=dict)
    """Only what ``?associations=`` asked for, and only types the record has."""
    object_write_trace_id: str | None = None
    """Echoed from the write input that carried it, so batch callers can match results."""
    new: bool | None = None
    """Upserts only: whether the write created the record (``SimplePublicUpsertObject``)."""


@dataclass(frozen=True, slots=True)
class ObjectPage:
    objects: list[CrmObject]
    next_after: str | None


def get_object(
    services: Services,
    principal: Principal,
    object_type_name: str,
    raw_id: str,
    *,
    archived: bool = False,
    associations: list[RequestedType] | None = None,
    id_property: str | None = None,
) -> CrmObject:
    """One record, by id or by a unique value (``?idProperty=email``, reference §3.4)."""
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(read_scopes(object_type))
    if id_property is None and not archived and not associations:
        # The common read, a live record by id, in one statement; anything else (missing,
        # archived, merged away) is answered below as before.
        object_id = parse_object_id(raw_id)
        if object_id is not None:
            live = object_store.live_object(
                services.database.engine, principal.portal_id, object_type.id, object_id
            )
            if live is not None:
                return CrmObject(object_type, live)
    with services.database.read() as conn:
        object_id = resolve_ids(conn, principal.portal_id, object_type, id_property, [raw_id])[
            raw_id
        ]
        if object_id is None:
            raise ObjectNotFound()
        row = object_store.get_object(conn, principal.portal_id, object_type.id, object_id)
        if row is not None and row.archived_at is not None and not archived:
            row = merged_into(conn, principal.portal_id, object_type, object_id) or row
        if row is None or (row.archived_at is not None) != archived:
            raise ObjectNotFound()
        embedded = _embedded(services, conn, principal, object_type, [row], associations)
    return CrmObject(object_type, row, embedded.get(row.id, {}))


async def get_live_object_on_loop(
    services: Services,
    pool: LoopReadPool,
    principal: Principal,
    object_type_name: str,
    raw_id: str,
) -> CrmObject | None:
    """``get_object``'s common read (a live record of a standard type, by id) awaited on
    the event loop; None when it needs ``get_object`` (a custom type, whose name is looked
    up in the database; a missing, archived or merged record), which the caller then runs.
    The checks, and so the errors, come in the same order."""
    object_type = services.object_types.standard(object_type_name)
    if object_type is None:
        return None
    principal.require_any(read_scopes(object_type))
    object_id = parse_object_id(raw_id)
    if object_id is None:
        return None
    live = await object_store.live_object_on_loop(
        pool, principal.portal_id, object_type.id, object_id
    )
    return None if live is None else CrmObject(object_type, live)


def list_objects(
    services: Services,
    principal: Principal,
    object_type_name: str,
    *,
    limit: int,
    after: str | None,
    archived: bool,
    associations: list[RequestedType] | None = None,
) -> ObjectPage:
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
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
        page = rows[:limit]
        embedded = _embedded(services, conn, principal, object_type, page, associations)
    next_after = str(rows[limit - 1].id) if len(rows) > limit else None
    return ObjectPage([CrmObject(object_type, r, embedded.get(r.id, {})) for r in page], next_after)


def _embedded(
    services: Services,
    conn: Connection,
    principal: Principal,
    object_type: ObjectType,
    rows: list[ObjectRow],
    requested: list[RequestedType] | None,
) -> EmbeddedAssociations:
    """Archived records' associations are hidden (reference §10.4): only live ones ask."""
    live = [r.id for r in rows if r.archived_at is None]
    return read_embedded(services, conn, principal.portal_id, object_type, live, requested or [])


def archive_object(
    services: Services, principal: Principal, object_type_name: str, raw_id: str
) -> None:
    """Move a record to the recycle bin; archiving what isn't there is a no-op, as on HubSpot."""
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(write_scopes(object_type))
    object_id = parse_object_id(raw_id)
    if object_id is None:
        return
    with services.database.write() as conn:
        archive_records(conn, principal.portal_id, object_type, {object_id})


def archive_records(
    conn: Connection, portal_id: int, object_type: ObjectType, ids: set[int]
) -> None:
    """To the recycle bin; their unique values are free for other records (§3.1)."""
    object_store.archive_objects(conn, portal_id, object_type.id, ids, now_ms())
    unique_store.release_records(conn, portal_id, object_type.id, ids)


def objects_not_found_error(object_type: ObjectType, raw_ids: list[str]) -> ItemError:
    """HubSpot's batch item for ids that name no (live) record (reference §5.4)."""
    return ItemError(
        category="OBJECT_NOT_FOUND",
        message=(
            f"Could not get some {object_type.error_name} objects, they may be deleted or "
            "not exist. Check that ids are valid."
        ),
        context={"ids": raw_ids},
    )


def resolve_ids(
    conn: Connection,
    portal_id: int,
    object_type: ObjectType,
    id_property: str | None,
    raw_ids: list[str],
) -> dict[str, int | None]:
    """Each distinct id as sent → the record it names: by record id, or by the value of a
    unique property (``idProperty``); None when it names none."""
    if id_property is None or id_property == ID_PROPERTY:
        return parse_ids(raw_ids)
    catalogue = load_properties(conn, portal_id, object_type)
    return find_by_unique(conn, portal_id, catalogue, id_property, raw_ids)


def merged_into(
    conn: Connection, portal_id: int, object_type: ObjectType, object_id: int
) -> ObjectRow | None:
    """The live record an id was merged into (old ids keep working, reference §5.3)."""
    key = (MERGED_IDS, str(object_id))
    holder = unique_store.holders(conn, portal_id, object_type.id, [key]).get(key)
    if holder is None:
        return None
    return object_store.get_object(conn, portal_id, object_type.id, holder)


def parse_ids(raw_ids: list[str]) -> dict[str, int | None]:
    """Each distinct id as sent → the record id it names (None: it names none)."""
    return {raw: parse_object_id(raw) for raw in dict.fromkeys(raw_ids)}


def batch_read(
    services: Services,
    principal: Principal,
    object_type_name: str,
    raw_ids: list[str],
    *,
    archived: bool,
    id_property: str | None,
) -> BatchOutcome[CrmObject]:
    """Each distinct id once, in the order sent; the missing ones in one error item."""
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(read_scopes(object_type))
    with services.database.read() as conn:
        parsed = resolve_ids(conn, principal.portal_id, object_type, id_property, raw_ids)
        wanted = {i for i in parsed.values() if i is not None}
        rows = object_store.get_objects(
            conn, principal.portal_id, object_type.id, wanted, archived=archived
        )
    found = {r.id: r for r in rows}
    outcome: BatchOutcome[CrmObject] = BatchOutcome()
    missing: list[str] = []
    for raw, object_id in parsed.items():
        row = found.get(object_id) if object_id is not None else None
        if row is None:
            missing.append(raw)
        else:
            outcome.results.append(CrmObject(object_type, row))
    if missing:
        outcome.errors.append(objects_not_found_error(object_type, missing))
    return outcome
