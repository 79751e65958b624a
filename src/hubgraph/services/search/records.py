"""Search a portal's records of one object type: filters, ``query``, sort, a page, a total."""

from __future__ import annotations

from dataclasses import dataclass

from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.scopes import read_scopes
from hubgraph.domain.search import (
    ASSOCIATIONS_PREFIX,
    Filter,
    Predicate,
    SearchRequest,
    check_limits,
    query_terms,
    resolve_association,
    resolve_filter,
    sort_key,
)
from hubgraph.domain.search_property_types import PropertyKind, property_kind
from hubgraph.errors import UnknownObjectType, ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.context import Services
from hubgraph.services.records.reads import CrmObject
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
    object_type = services.object_types.resolve(object_type_name)
    principal.require_any(read_scopes(object_type))
    check_limits(request)
    groups = [[_predicate(services, object_type, f) for f in g] for g in request.filter_groups]
    terms = query_terms(request.query) if request.query else []
    sort_name = request.sort.property_name if request.sort else "hs_object_id"
    key = sort_key(request.sort, property_kind(object_type.id, sort_name))
    with services.database.read() as conn:
        total, rows = search_store.search(
            conn,
            principal.portal_id,
            object_type.id,
            [g for g in groups if g],
            terms,
            key,
            limit=request.limit,
            offset=request.offset,
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


def _predicate(services: Services, object_type: ObjectType, f: Filter) -> Predicate:
    if f.property_name.startswith(ASSOCIATIONS_PREFIX):
        name = f.property_name.removeprefix(ASSOCIATIONS_PREFIX)
        try:
            to_type = services.object_types.resolve(name)
        except UnknownObjectType:
            raise ValidationError(
                f"Unable to infer object type from: {name} (in {f.property_name})"
            ) from None
        return resolve_association(f, to_type.id)
    kind = property_kind(object_type.id, f.property_name)
    return resolve_filter(f, kind if kind else PropertyKind.STRING)
