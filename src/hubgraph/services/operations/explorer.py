"""The read model behind the web UI (``/_hubgraph/ui/``): portals, records, neighbourhoods.

Operator views, not HubSpot's API: no scopes apply (the control plane's guard stands
in front), every read names its portal, and every list is paged or capped, so a record
with 100,000 associations renders one page of each object type.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Connection

from hubgraph.domain.association_types import AssociationType, Category
from hubgraph.domain.associations import Association
from hubgraph.domain.object_types import ObjectType
from hubgraph.errors import ObjectNotFound, ValidationError
from hubgraph.services.associations.definitions import (
    PortalAssociationTypes,
    portal_association_types,
)
from hubgraph.services.clock import iso
from hubgraph.services.context import Services
from hubgraph.services.ids import parse_object_id
from hubgraph.store import association_limits as limit_store
from hubgraph.store import associations as association_store
from hubgraph.store import explorer as explorer_store
from hubgraph.store import objects as object_store
from hubgraph.store.associations import CATEGORY_CODES
from hubgraph.store.objects import ObjectRow

# Properties that name a record, in the order a person would look for them: a name, then
# the person's first and last name, then an address.
_NAME_PROPERTIES = ("name", "dealname", "subject", "hs_name", "title")
_FALLBACK_PROPERTIES = ("email", "domain")
_PREVIEW_PROPERTIES = 4
# The neighbourhood graph: neighbours drawn per record and object type, records in all.
GRAPH_PER_NODE = 25
GRAPH_MAX_NODES = 300
# A record's associated records are counted up to this many per object type ("1000+"), so a
# record with 100,000 associations costs no more to show than one with 1,001.
COUNT_CAP = 1000


@dataclass(frozen=True, slots=True)
class TypeCount:
    object_type: ObjectType
    count: int


@dataclass(frozen=True, slots=True)
class PortalSummary:
    id: int
    name: str
    records: int
    associations: int
    types: list[TypeCount]
    """Object types that have records."""
    all_types: list[TypeCount]
    """Every object type, with zero counts too."""


@dataclass(frozen=True, slots=True)
class RecordSummary:
    id: int
    title: str
    preview: list[tuple[str, str]]
    updated_at: str


@dataclass(frozen=True, slots=True)
class RecordPage:
    records: list[RecordSummary]
    next_after: int | None


@dataclass(frozen=True, slots=True)
class AssociatedRecord:
    id: int
    title: str
    types: list[AssociationType]
    """Every type from the record to this one, HUBSPOT_DEFINED first."""


@dataclass(frozen=True, slots=True)
class AssociationGroup:
    object_type: ObjectType
    total: int
    """Associated live records, counted up to COUNT_CAP."""
    more: bool
    """There are more than ``total`` (the count stopped at COUNT_CAP)."""
    items: list[AssociatedRecord]
    next_after: int | None


@dataclass(frozen=True, slots=True)
class RecordView:
    portal: explorer_store.PortalRow
    object_type: ObjectType
    id: int
    title: str
    archived: bool
    properties: list[tuple[str, str | None]]
    created_at: str
    updated_at: str
    groups: list[AssociationGroup]


@dataclass(frozen=True, slots=True)
class GraphNode:
    key: str
    object_type: ObjectType
    id: int
    title: str


@dataclass(frozen=True, slots=True)
class GraphEdge:
    from_key: str
    to_key: str
    types: list[AssociationType]


@dataclass(slots=True)
class Neighbourhood:
    root: str
    nodes: dict[str, GraphNode] = field(default_factory=dict)
    edges: list[GraphEdge] = field(default_factory=list)
    expanded: list[str] = field(default_factory=list)
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class PairType:
    type: AssociationType
    name: str | None
    limit: int | None


@dataclass(frozen=True, slots=True)
class PairSchema:
    from_type: ObjectType
    to_type: ObjectType
    types: list[PairType]
    configured_pairs: list[tuple[ObjectType, ObjectType, int, int]]


def node_key(object_type_id: str, object_id: int) -> str:
    return f"{object_type_id}:{object_id}"


def record_title(object_type: ObjectType, object_id: int, properties: dict[str, str | None]) -> str:
    for name in _NAME_PROPERTIES:
        if properties.get(name):
            return str(properties[name])
    person = " ".join(p for p in (properties.get("firstname"), properties.get("lastname")) if p)
    if person:
        return person
    for name in _FALLBACK_PROPERTIES:
        if properties.get(name):
            return str(properties[name])
    return f"{object_type.singular} {object_id}"


class TypeLookup(Protocol):
    def get(self, category: Category, type_id: int) -> AssociationType | None: ...


class _TypesOnDemand:
    """The portal's association types, its USER_DEFINED ones read only when a row has one:
    HubSpot's come from memory, and on a loaded database every query is a round trip."""

    def __init__(self, services: Services, conn: Connection, portal_id: int) -> None:
        self._services = services
        self._conn = conn
        self._portal_id = portal_id
        self._portal_types: PortalAssociationTypes | None = None

    def get(self, category: Category, type_id: int) -> AssociationType | None:
        if category is Category.HUBSPOT_DEFINED:
            return self._services.association_types.get(category, type_id)
        if self._portal_types is None:
            self._portal_types = portal_association_types(
                self._services, self._conn, self._portal_id
            )
        return self._portal_types.get(category, type_id)


# --- portals ------------------------------------------------------------------------------


def list_portals(services: Services) -> list[PortalSummary]:
    with services.database.read() as conn:
        portals = explorer_store.list_portals(conn)
        records = explorer_store.record_counts(conn)
        pairs = explorer_store.association_counts(conn)
    return [_summary(services, p, records, pairs) for p in portals]


def portal_summary(services: Services, portal_id: int) -> PortalSummary:
    with services.database.read() as conn:
        portal = _require_portal(conn, portal_id)
        records = explorer_store.record_counts(conn, portal_id)
        pairs = explorer_store.association_counts(conn, portal_id)
    return _summary(services, portal, records, pairs)


def portal_header(services: Services, portal_id: int) -> explorer_store.PortalRow:
    """The portal's id and name, for the pages that show no counts: one key lookup."""
    with services.database.read() as conn:
        return _require_portal(conn, portal_id)


def _require_portal(conn: Connection, portal_id: int) -> explorer_store.PortalRow:
    portal = explorer_store.get_portal(conn, portal_id)
    if portal is None:
        raise ObjectNotFound(f"There is no portal {portal_id}")
    return portal


def _summary(
    services: Services,
    portal: explorer_store.PortalRow,
    records: dict[tuple[int, str], int],
    pairs: dict[int, int],
) -> PortalSummary:
    all_types = [TypeCount(t, records.get((portal.id, t.id), 0)) for t in services.object_types]
    return PortalSummary(
        id=portal.id,
        name=portal.name,
        records=sum(t.count for t in all_types),
        associations=pairs.get(portal.id, 0),
        types=[t for t in all_types if t.count],
        all_types=all_types,
    )


# --- records ------------------------------------------------------------------------------


def list_records(
    services: Services,
    portal_id: int,
    object_type_name: str,
    *,
    text: str = "",
    after: int = 0,
    limit: int = 50,
) -> RecordPage:
    """A page of live records, ascending by id; ``text`` filters on id or property values."""
    object_type = services.object_types.resolve(object_type_name)
    text = text.strip()
    with services.database.read() as conn:
        _require_portal(conn, portal_id)
        if text:
            rows = explorer_store.filter_objects(
                conn,
                portal_id,
                object_type.id,
                text=text,
                exact_id=parse_object_id(text),
                after_id=after,
                limit=limit + 1,
            )
        else:
            rows = object_store.list_objects(
                conn, portal_id, object_type.id, archived=False, after_id=after, limit=limit + 1
            )
    page = rows[:limit]
    return RecordPage(
        [_record_summary(object_type, r) for r in page],
        page[-1].id if len(rows) > limit else None,
    )


def _record_summary(object_type: ObjectType, row: ObjectRow) -> RecordSummary:
    shown = [(k, v) for k, v in sorted(row.properties.items()) if v and not k.startswith("hs_")]
    return RecordSummary(
        id=row.id,
        title=record_title(object_type, row.id, row.properties),
        preview=[(k, str(v)) for k, v in shown[:_PREVIEW_PROPERTIES]],
        updated_at=iso(row.updated_at),
    )


def _parse_id(raw: str) -> int:
    object_id = parse_object_id(raw)
    if object_id is None:
        raise ObjectNotFound(f"{raw[:40]!r} is not a record id")
    return object_id


def record_view(
    services: Services, portal_id: int, object_type_name: str, raw_id: str, per_group: int = 25
) -> RecordView:
    """A record, its properties, and the first page of its associations per object type."""
    object_type = services.object_types.resolve(object_type_name)
    object_id = _parse_id(raw_id)
    with services.database.read() as conn:
        portal, row = _require_record(conn, portal_id, object_type, object_id)
        # An archived record's associations are hidden, as on every read (reference §10.4).
        counts = (
            {}
            if row.archived_at is not None
            else explorer_store.associated_counts(
                conn,
                portal_id,
                object_type.id,
                object_id,
                [t.id for t in services.object_types],
                COUNT_CAP,
            )
        )
        types = _TypesOnDemand(services, conn, portal_id)
        groups = [
            _group(conn, types, portal_id, object_type, object_id, to_type, counts, 0, per_group)
            for to_type in _ordered_types(services, counts)
        ]
    return RecordView(
        portal=portal,
        object_type=object_type,
        id=object_id,
        title=record_title(object_type, object_id, row.properties),
        archived=row.archived_at is not None,
        properties=sorted(row.properties.items()),
        created_at=iso(row.created_at),
        updated_at=iso(row.updated_at),
        groups=[g for g in groups if g.total],
    )


def association_page(
    services: Services,
    portal_id: int,
    object_type_name: str,
    raw_id: str,
    to_type_name: str,
    *,
    after: int = 0,
    limit: int = 100,
) -> tuple[RecordView, AssociationGroup]:
    """One page of a record's associations to one object type (the record, without groups)."""
    object_type = services.object_types.resolve(object_type_name)
    to_type = services.object_types.resolve(to_type_name)
    object_id = _parse_id(raw_id)
    with services.database.read() as conn:
        portal, row = _require_record(conn, portal_id, object_type, object_id)
        counts = explorer_store.associated_counts(
            conn, portal_id, object_type.id, object_id, [to_type.id], COUNT_CAP
        )
        types = _TypesOnDemand(services, conn, portal_id)
        group = _group(
            conn, types, portal_id, object_type, object_id, to_type, counts, after, limit
        )
    return _header(portal, object_type, row), group


def record_header(
    services: Services, portal_id: int, object_type_name: str, raw_id: str
) -> RecordView:
    """The record's name and times, without its properties or associations."""
    object_type = services.object_types.resolve(object_type_name)
    object_id = _parse_id(raw_id)
    with services.database.read() as conn:
        portal, row = _require_record(conn, portal_id, object_type, object_id)
    return _header(portal, object_type, row)


def _header(
    portal: explorer_store.PortalRow, object_type: ObjectType, row: ObjectRow
) -> RecordView:
    return RecordView(
        portal=portal,
        object_type=object_type,
        id=row.id,
        title=record_title(object_type, row.id, row.properties),
        archived=row.archived_at is not None,
        properties=[],
        created_at=iso(row.created_at),
        updated_at=iso(row.updated_at),
        groups=[],
    )


def _require_record(
    conn: Connection, portal_id: int, object_type: ObjectType, object_id: int
) -> tuple[explorer_store.PortalRow, ObjectRow]:
    portal, row = explorer_store.portal_and_object(conn, portal_id, object_type.id, object_id)
    if portal is None:
        raise ObjectNotFound(f"There is no portal {portal_id}")
    if row is None:
        raise ObjectNotFound(
            f"There is no {object_type.singular} {object_id} in portal {portal_id}"
        )
    return portal, row


def _ordered_types(services: Services, counts: dict[str, int]) -> list[ObjectType]:
    """Object types in the registry's order (contacts, companies, deals, …)."""
    return [t for t in services.object_types if counts.get(t.id)]


def _group(
    conn: Connection,
    types: TypeLookup,
    portal_id: int,
    object_type: ObjectType,
    object_id: int,
    to_type: ObjectType,
    counts: dict[str, int],
    after: int,
    limit: int,
) -> AssociationGroup:
    page = explorer_store.associated_page(
        conn, portal_id, object_type.id, object_id, to_type.id, after, limit + 1
    )
    by_target: dict[int, list[Association]] = defaultdict(list)
    for r in page.rows:
        by_target[r.to_id].append(r)
    target_ids = list(by_target)[:limit]
    titles = {t: record_title(to_type, t, page.properties[t]) for t in target_ids}
    return AssociationGroup(
        object_type=to_type,
        total=min(counts.get(to_type.id, 0), COUNT_CAP),
        more=counts.get(to_type.id, 0) > COUNT_CAP,
        items=[
            AssociatedRecord(
                t, titles.get(t, f"{to_type.singular} {t}"), _types_of(types, by_target[t])
            )
            for t in target_ids
        ],
        next_after=target_ids[-1] if len(by_target) > limit else None,
    )


def _titles(
    conn: Connection, portal_id: int, object_type: ObjectType, ids: list[int]
) -> dict[int, str]:
    rows = object_store.get_objects(conn, portal_id, object_type.id, ids, archived=False)
    return {r.id: record_title(object_type, r.id, r.properties) for r in rows}


def _types_of(types: TypeLookup, rows: list[Association]) -> list[AssociationType]:
    found: list[AssociationType] = []
    for r in rows:
        t = types.get(r.category, r.type_id)
        found.append(
            t
            if t is not None
            # A type missing from the catalogue still shows, by its key.
            else AssociationType(r.category, r.type_id, r.from_type, r.to_type, None, r.type_id)
        )
    return sorted(found, key=lambda t: (CATEGORY_CODES[t.category], t.type_id))


# --- the neighbourhood graph ---------------------------------------------------------------


def neighbourhood(
    services: Services,
    portal_id: int,
    object_type_name: str,
    raw_id: str,
    *,
    hops: int = 1,
    per_node: int = GRAPH_PER_NODE,
    max_nodes: int = GRAPH_MAX_NODES,
) -> Neighbourhood:
    """The record and the records within ``hops`` associations of it.

    Each expanded record contributes at most ``per_node`` neighbours of each object type
    (lowest ids first), and the graph stops growing at ``max_nodes``; ``truncated`` says
    whether anything was left out.
    """
    if hops not in (1, 2):
        raise ValidationError("hops must be 1 or 2")
    object_type = services.object_types.resolve(object_type_name)
    object_id = _parse_id(raw_id)
    with services.database.read() as conn:
        _, row = _require_record(conn, portal_id, object_type, object_id)
        types = portal_association_types(services, conn, portal_id)
        graph = Neighbourhood(root=node_key(object_type.id, object_id))
        graph.nodes[graph.root] = GraphNode(
            graph.root, object_type, object_id, record_title(object_type, object_id, row.properties)
        )
        # An archived record's associations are hidden, as on every read.
        frontier = {} if row.archived_at is not None else {graph.root: (object_type, object_id)}
        for _ in range(hops):
            frontier = _expand(
                conn, services, types, portal_id, graph, frontier, per_node, max_nodes
            )
    return graph


def _expand(
    conn: Connection,
    services: Services,
    types: PortalAssociationTypes,
    portal_id: int,
    graph: Neighbourhood,
    frontier: dict[str, tuple[ObjectType, int]],
    per_node: int,
    max_nodes: int,
) -> dict[str, tuple[ObjectType, int]]:
    """Adds the frontier's neighbours and the edges to them; returns the new records."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for object_type, object_id in frontier.values():
        by_type[object_type.id].append(object_id)
    added: dict[str, tuple[ObjectType, int]] = {}
    for from_type_id, from_ids in by_type.items():
        for to_type_id in explorer_store.target_types(conn, portal_id, from_type_id, from_ids):
            to_type = services.object_types.by_id(to_type_id)
            rows = association_store.page_of_associated(
                conn, portal_id, from_type_id, to_type_id, dict.fromkeys(from_ids, 0), per_node + 1
            )
            pairs: dict[tuple[int, int], list[Association]] = defaultdict(list)
            for r in rows:
                pairs[(r.from_id, r.to_id)].append(r)
            shown: dict[int, int] = defaultdict(int)
            new_ids: list[int] = []
            for (from_id, to_id), pair_rows in pairs.items():
                shown[from_id] += 1
                to_key = node_key(to_type_id, to_id)
                if shown[from_id] > per_node or (
                    to_key not in graph.nodes and len(graph.nodes) + len(new_ids) >= max_nodes
                ):
                    graph.truncated = True
                    continue
                if to_key not in graph.nodes and to_key not in added:
                    new_ids.append(to_id)
                    added[to_key] = (to_type, to_id)
                graph.edges.append(
                    GraphEdge(node_key(from_type_id, from_id), to_key, _types_of(types, pair_rows))
                )
            titles = _titles(conn, portal_id, to_type, new_ids)
            for to_id in new_ids:
                key = node_key(to_type_id, to_id)
                graph.nodes[key] = GraphNode(
                    key, to_type, to_id, titles.get(to_id, f"{to_type.singular} {to_id}")
                )
    graph.expanded.extend(k for k in frontier if k not in graph.expanded)
    return added


# --- labels and limits ----------------------------------------------------------------------


def pair_schema(services: Services, portal_id: int, from_name: str, to_name: str) -> PairSchema:
    """Every association type between one ordered pair, with its custom limit if any."""
    from_type = services.object_types.resolve(from_name)
    to_type = services.object_types.resolve(to_name)
    with services.database.read() as conn:
        _require_portal(conn, portal_id)
        types = portal_association_types(services, conn, portal_id)
        limits = {
            (limit.category, limit.type_id): limit.max_to_object_ids
            for limit in limit_store.list_limits(conn, portal_id, (from_type.id, to_type.id))
        }
        names = explorer_store.type_names(conn, portal_id)
        configured = explorer_store.configured_pairs(conn, portal_id)
    rows = [
        PairType(
            t,
            names.get((CATEGORY_CODES[t.category], t.type_id))
            if t.category is not Category.HUBSPOT_DEFINED
            else None,
            limits.get((t.category, t.type_id)),
        )
        for t in types.for_pair(from_type.id, to_type.id)
    ]
    return PairSchema(
        from_type=from_type,
        to_type=to_type,
        types=rows,
        configured_pairs=[
            (services.object_types.by_id(f), services.object_types.by_id(t), labels, limit_count)
            for (f, t), (labels, limit_count) in sorted(configured.items())
        ],
    )
