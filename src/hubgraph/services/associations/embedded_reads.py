"""``?associations=companies,deals`` on objects v3 reads (reference §10.3).

Each requested type maps (under the name as requested) to one entry per association
type between the record and each associated record, so an id repeats:
``{"id": "9001", "type": "contact_to_company"}``, ``{"id": "9001", "type":
"contact_to_company_unlabeled"}``. One query per requested type serves every record of
a page. Archived records have no associations (reference §10.4).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import Connection

from hubgraph.domain.association_type_names import association_type_name
from hubgraph.domain.association_types import Category
from hubgraph.domain.associations import Association
from hubgraph.domain.object_types import ObjectType
from hubgraph.services.associations.definitions import (
    PortalAssociationTypes,
    portal_association_types,
)
from hubgraph.services.associations.reads import encode_cursor
from hubgraph.services.context import Services
from hubgraph.store import associations as association_store
from hubgraph.store.association_type_names import user_defined_names

# Associated records per requested type and record; more are left to the v4 API, whose
# GET list continues from ``paging.next.after``. HubSpot's page size here is UNCONFIRMED.
PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class AssociatedId:
    id: int
    type: str


@dataclass(slots=True)
class CollectionResponseAssociatedId:
    results: list[AssociatedId] = field(default_factory=list)
    after: str | None = None


# Record id → requested name → its associations of that type.
EmbeddedAssociations = dict[int, dict[str, CollectionResponseAssociatedId]]


@dataclass(frozen=True, slots=True)
class RequestedType:
    name: str
    """As the client wrote it: the key of the response map."""
    object_type: ObjectType


def requested_types(
    services: Services, values: list[str] | None, portal_id: int | None = None
) -> list[RequestedType]:
    """``?associations=a,b`` and the SDK's ``?associations=a&associations=b``; an unknown
    name is 400 "Unable to infer object type from: …" (the real server's answer, §10.3)."""
    names = [n.strip() for v in values or [] for n in v.split(",") if n.strip()]
    return [
        RequestedType(n, services.object_types.resolve(n, portal_id)) for n in dict.fromkeys(names)
    ]


def read_embedded(
    services: Services,
    conn: Connection,
    portal_id: int,
    from_type: ObjectType,
    from_ids: Collection[int],
    requested: list[RequestedType],
) -> EmbeddedAssociations:
    embedded: EmbeddedAssociations = {}
    if not requested or not from_ids:
        return embedded
    types = portal_association_types(services, conn, portal_id)
    rows_by_type: dict[str, list[Association]] = {}
    for to_type in dict.fromkeys(r.object_type for r in requested):
        rows_by_type[to_type.id] = association_store.page_of_associated(
            conn, portal_id, from_type.id, to_type.id, dict.fromkeys(from_ids, 0), PAGE_SIZE + 1
        )
    user_ids = {
        r.type_id
        for rows in rows_by_type.values()
        for r in rows
        if r.category is Category.USER_DEFINED
    }
    names = _Names(services, types, user_defined_names(conn, portal_id, user_ids))
    for req in requested:
        for from_id, page in _pages(rows_by_type[req.object_type.id], names).items():
            embedded.setdefault(from_id, {})[req.name] = page
    return embedded


class _Names:
    """Each (category, typeId)'s v3 name, worked out once per request."""

    def __init__(
        self, services: Services, types: PortalAssociationTypes, user_names: dict[int, str]
    ) -> None:
        self._services = services
        self._types = types
        self._user_names = user_names
        self._cache: dict[tuple[Category, int], str] = {}

    def of(self, category: Category, type_id: int) -> str:
        key = (category, type_id)
        if key not in self._cache:
            t = self._types.get(category, type_id)
            self._cache[key] = (
                f"{category.value.lower()}_{type_id}"
                if t is None
                else association_type_name(
                    t,
                    self._services.association_types,
                    self._services.object_types,
                    self._user_names.get(type_id) if category is Category.USER_DEFINED else None,
                )
            )
        return self._cache[key]


def _pages(rows: list[Association], names: _Names) -> dict[int, CollectionResponseAssociatedId]:
    """Rows (ordered by from_id, to_id, category, typeId) → each record's first page."""
    pages: dict[int, CollectionResponseAssociatedId] = {}
    targets: dict[int, list[int]] = {}
    for r in rows:
        page = pages.setdefault(r.from_id, CollectionResponseAssociatedId())
        seen = targets.setdefault(r.from_id, [])
        if not seen or seen[-1] != r.to_id:
            seen.append(r.to_id)
        if len(seen) > PAGE_SIZE:
            page.after = encode_cursor(seen[PAGE_SIZE - 1])
            continue
        page.results.append(AssociatedId(r.to_id, names.of(r.category, r.type_id)))
    return pages
