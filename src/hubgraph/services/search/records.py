"""Search a portal's records of one object type: filters, ``query``, sort, a page, a total."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection

from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.properties import default_properties, property_type
from hubgraph.domain.scopes import read_scopes
from hubgraph.domain.search import (
    ASSOCIATIONS_PREFIX,
    Filter,
    Predicate,
    PropertyKind,
    SearchRequest,
    check_limits,
    kind_of,
    query_terms,
    resolve_association,
    resolve_filter,
    sort_key,
    system_kind,
)
from hubgraph.errors import UnknownObjectType, ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.context import Services
from hubgraph.services.records.reads import CrmObject
from hubgraph.store import custom_objects as schema_store
from hubgraph.store import search as search_store

# What a search returns when ``properties`` is not given (reference §4.5, §1.6).
DEFAULT_PROPERTIES: dict[str, tuple[str, ...]] = {
    "0-1": ("firstname", "lastname", "email", "lastmodifieddate", "hs_object_id", "createdate"),
    "0-2": ("name", "domain", "createdate", "hs_lastmodifieddate", "hs_object_id"),
    "0-3": (
        "dealname",
        "amount",
        "closedate",
        "pipeline",
        "dealstage",
        "createdate",
        "hs_lastmodifieddate",
        "hs_object_id",
    ),
    "0-5": (
        "content",
        "hs_pipeline",
        "hs_pipeline_stage",
        "hs_ticket_category",
        "hs_ticket_priority",
        "subject",
        "createdate",
        "hs_lastmodifieddate",
        "hs_object_id",
    ),
    "0-7": ("name", "description", "price", "createdate", "hs_lastmodifieddate", "hs_object_id"),
    "0-8": ("quantity", "amount", "price", "createdate", "hs_lastmodifieddate", "hs_object_id"),
    "0-14": (
        "hs_expiration_date",
        "hs_public_url_key",
        "hs_status",
        "hs_title",
        "hs_createdate",
        "hs_lastmodifieddate",
        "hs_object_id",
    ),
}
OTHER_DEFAULT_PROPERTIES = ("hs_createdate", "hs_lastmodifieddate", "hs_object_id")


@dataclass(frozen=True, slots=True)
class SearchPage:
    total: int
    objects: list[CrmObject]
    properties: tuple[str, ...]
    """The properties each result carries: the request's, or the object's defaults."""
    next_after: str | None


def search(
    services: Services, principal: Principal, object_type_name: str, request: SearchRequest
) -> SearchPage:
    portal_id = principal.portal_id
    object_type = services.object_types.resolve(object_type_name, portal_id)
    principal.require_any(read_scopes(object_type))
    check_limits(request)
    # Association filters name object types: resolved first, as a custom one is a read.
    associated = {
        f.property_name: _associated_type(services, portal_id, f.property_name)
        for g in request.filter_groups
        for f in g
        if f.property_name.startswith(ASSOCIATIONS_PREFIX)
    }
    terms = query_terms(request.query) if request.query else []
    sort_name = request.sort.property_name if request.sort else "hs_object_id"
    with services.database.read() as conn:
        kinds = property_kinds(conn, portal_id, object_type, _named(request, sort_name))
        groups = [[_predicate(f, kinds, associated) for f in g] for g in request.filter_groups]
        key = sort_key(request.sort, kinds[sort_name])
        token_names = search_store.query_token_names(
            _searchable(conn, portal_id, object_type) if terms else None
        )
        total, rows = search_store.search(
            conn,
            portal_id,
            object_type.id,
            [g for g in groups if g],
            terms,
            key,
            limit=request.limit,
            offset=request.offset,
            token_names=token_names,
        )
    end = request.offset + len(rows)
    properties = request.properties or DEFAULT_PROPERTIES.get(
        object_type.id, OTHER_DEFAULT_PROPERTIES
    )
    return SearchPage(
        total,
        [CrmObject(object_type, row) for row in rows],
        tuple(properties),
        str(end) if end < total else None,
    )


def property_kinds(
    conn: Connection, portal_id: int, object_type: ObjectType, names: set[str]
) -> dict[str, PropertyKind]:
    """How each named property compares, from the portal's Properties catalogue.

    HubSpot's defaults are reference data held in memory; the portal's own definitions
    (custom properties, custom objects' properties, edited defaults) are read for just the
    names the search uses, by primary key, on the search's own connection: one small
    query, and never a stale type after a property is created or changed. System
    properties and read-only default definitions need no query.
    """
    defaults = default_properties(object_type.id)
    kinds: dict[str, PropertyKind] = {}
    editable = []
    for name in names:
        fixed = system_kind(name)
        default = defaults.get(name)
        if fixed is not None:
            kinds[name] = fixed
        elif default is not None and default.read_only_definition:
            kinds[name] = kind_of(default.type)  # a portal cannot change it
        else:
            editable.append(name)
    own = search_store.own_property_types(conn, portal_id, object_type.id, sorted(editable))
    for name in editable:
        kinds[name] = kind_of(own.get(name) or property_type(object_type.id, name))
    return kinds


def _named(request: SearchRequest, sort_name: str) -> set[str]:
    names = {f.property_name for g in request.filter_groups for f in g}
    return {n for n in names if not n.startswith(ASSOCIATIONS_PREFIX)} | {sort_name}


def _searchable(conn: Connection, portal_id: int, object_type: ObjectType) -> list[str] | None:
    """The properties ``query`` searches on a custom object: its schema's
    ``searchableProperties`` (reference §4.5); None for a standard type."""
    if not object_type.is_custom:
        return None
    schema = schema_store.find(conn, portal_id, object_type.id)
    if schema is None:
        return []
    return [str(n) for n in schema.definition.get("searchableProperties") or ()]


def _associated_type(services: Services, portal_id: int, property_name: str) -> str:
    name = property_name.removeprefix(ASSOCIATIONS_PREFIX)
    try:
        return services.object_types.resolve(name, portal_id).id
    except UnknownObjectType:
        raise ValidationError(
            f"Unable to infer object type from: {name} (in {property_name})"
        ) from None


def _predicate(
    f: Filter, kinds: Mapping[str, PropertyKind], associated: Mapping[str, str]
) -> Predicate:
    if f.property_name in associated:
        return resolve_association(f, associated[f.property_name])
    return resolve_filter(f, kinds[f.property_name])
