"""The neighbourhood graph's data: JSON that ``static/graph.js`` draws in the browser."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.responses import Response

from hubgraph.api.control.ui.links import ROOT, links
from hubgraph.api.http.common import json_response
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import ServicesDep, require_admin
from hubgraph.domain.association_types import AssociationType
from hubgraph.services.operations import explorer

# JSON in, JSON out: errors keep HubSpot's envelope here, as on the rest of /_hubgraph/.
router = APIRouter(
    route_class=DeferredAPIRoute,
    prefix=ROOT,
    dependencies=[Depends(require_admin)],
    include_in_schema=False,
)


@router.get("/portals/{portalId}/objects/{objectType}/{objectId}/graph.json")
def graph_json(
    portalId: int,
    objectType: str,
    objectId: str,
    services: ServicesDep,
    hops: Annotated[int, Query(ge=1, le=2)] = 1,
) -> Response:
    graph = explorer.neighbourhood(services, portalId, objectType, objectId, hops=hops)
    return json_response(render(portalId, graph))


def render(portal_id: int, graph: explorer.Neighbourhood) -> dict[str, Any]:
    seen: set[tuple[str, str]] = set()
    edges: list[dict[str, Any]] = []
    for edge in graph.edges:
        pair = (min(edge.from_key, edge.to_key), max(edge.from_key, edge.to_key))
        if pair in seen:
            continue  # the same pair, read from its other end
        seen.add(pair)
        edges.append(
            {"from": edge.from_key, "to": edge.to_key, "labels": [_label(t) for t in edge.types]}
        )
    return {
        "root": graph.root,
        "nodes": [
            {
                "key": node.key,
                "objectTypeId": node.object_type.id,
                "typeLabel": node.object_type.singular,
                "id": str(node.id),
                "label": node.title,
                "url": links.record(portal_id, node.object_type.plural, node.id),
                "graphUrl": links.graph_json(portal_id, node.object_type.plural, node.id),
            }
            for node in graph.nodes.values()
        ],
        "edges": edges,
        "expanded": graph.expanded,
        "truncated": graph.truncated,
    }


def _label(t: AssociationType) -> dict[str, Any]:
    return {"category": t.category.value, "typeId": t.type_id, "label": t.label}
