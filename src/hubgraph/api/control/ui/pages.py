"""The UI's read-only pages: portals, records, a record and its associations, labels,
requests and webhook events.

Each handler reads through ``services.operations.explorer`` (webhook events through
``services.webhooks.deliveries``, the control plane's own read) and renders one template.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import RedirectResponse, Response

from hubgraph.api.control.ui.links import ROOT, links
from hubgraph.api.control.ui.redaction import redact_query, redacted_body
from hubgraph.api.control.ui.rendering import HtmlErrorRoute, page
from hubgraph.api.control.ui.request_log import LoggedRequest, RequestLog, token_kind
from hubgraph.api.http.deps import ServicesDep, require_admin
from hubgraph.services.clock import iso
from hubgraph.services.operations import explorer
from hubgraph.services.webhooks import deliveries

router = APIRouter(
    prefix=ROOT,
    dependencies=[Depends(require_admin)],
    route_class=HtmlErrorRoute,
    include_in_schema=False,
)

RECORD = "/portals/{portalId}/objects/{objectType}/{objectId}"
WEBHOOK_EVENTS_SHOWN = 100
Cursor = Annotated[int, Query(ge=0, le=2**63 - 1)]


@router.get("")
def ui_root_without_slash() -> Response:
    return RedirectResponse(links.home(), status_code=307)


@router.get("/")
def portals(request: Request, services: ServicesDep) -> Response:
    return page(request, "portals.html", portals=explorer.list_portals(services))


@router.get("/portals/{portalId}")
def portal(request: Request, portalId: int, services: ServicesDep) -> Response:
    return page(request, "portal.html", portal=explorer.portal_summary(services, portalId))


@router.get("/portals/{portalId}/objects/{objectType}")
def records(
    request: Request,
    portalId: int,
    objectType: str,
    services: ServicesDep,
    q: Annotated[str, Query(max_length=200)] = "",
    after: Cursor = 0,
) -> Response:
    summary = explorer.portal_header(services, portalId)
    object_type = services.object_types.resolve(objectType)
    found = explorer.list_records(services, portalId, object_type.id, text=q, after=after)
    return page(
        request,
        "records.html",
        portal=summary,
        object_type=object_type,
        page=found,
        q=q,
        after=after,
    )


@router.get(RECORD)
def record(
    request: Request,
    portalId: int,
    objectType: str,
    objectId: str,
    services: ServicesDep,
) -> Response:
    view = explorer.record_view(services, portalId, objectType, objectId)
    return page(request, "record.html", portal=view.portal, record=view)


@router.get(RECORD + "/associations/{toObjectType}")
def associations(
    request: Request,
    portalId: int,
    objectType: str,
    objectId: str,
    toObjectType: str,
    services: ServicesDep,
    after: Cursor = 0,
) -> Response:
    view, group = explorer.association_page(
        services, portalId, objectType, objectId, toObjectType, after=after
    )
    return page(
        request, "associations.html", portal=view.portal, record=view, group=group, after=after
    )


@router.get(RECORD + "/graph")
def graph(
    request: Request,
    portalId: int,
    objectType: str,
    objectId: str,
    services: ServicesDep,
) -> Response:
    view = explorer.record_header(services, portalId, objectType, objectId)
    return page(
        request,
        "graph.html",
        portal=view.portal,
        record=view,
        root_key=explorer.node_key(view.object_type.id, view.id),
        per_node=explorer.GRAPH_PER_NODE,
    )


@router.get("/portals/{portalId}/labels")
def labels(
    request: Request,
    portalId: int,
    services: ServicesDep,
    from_type: Annotated[str, Query(alias="from", max_length=100)] = "contacts",
    to_type: Annotated[str, Query(alias="to", max_length=100)] = "companies",
) -> Response:
    schema = explorer.pair_schema(services, portalId, from_type, to_type)
    return page(
        request,
        "labels.html",
        portal=explorer.portal_header(services, portalId),
        schema=schema,
        object_types=list(services.object_types),
    )


@router.get("/portals/{portalId}/requests")
def requests(request: Request, portalId: int, services: ServicesDep) -> Response:
    log: RequestLog = request.app.state.request_log
    return page(
        request,
        "requests.html",
        portal=explorer.portal_header(services, portalId),
        entries=[_shown(e) for e in log.recent(portalId)],
        capacity=log.per_portal,
        body_limit=log.body_limit,
    )


@router.get("/portals/{portalId}/webhooks")
def webhooks(request: Request, portalId: int, services: ServicesDep) -> Response:
    portal = explorer.portal_header(services, portalId)
    events = deliveries.list_deliveries(services, portalId, WEBHOOK_EVENTS_SHOWN)
    return page(
        request,
        "webhooks.html",
        portal=portal,
        events=[_event_shown(e) for e in events],
        shown=WEBHOOK_EVENTS_SHOWN,
    )


def _event_shown(event: dict[str, Any]) -> dict[str, Any]:
    """An event as the control plane's JSON has it, with its payload pretty-printed."""
    payload = orjson.dumps(event["payload"], option=orjson.OPT_INDENT_2).decode()
    return {**event, "payload_text": payload}


def _shown(entry: LoggedRequest) -> dict[str, object]:
    """What the page shows of a logged request: times rendered, bodies redacted."""
    return {
        "method": entry.method,
        "path": entry.path + ("?" + redact_query(entry.query) if entry.query else ""),
        "status": entry.status,
        "duration_ms": entry.duration_ms,
        "correlation_id": entry.correlation_id,
        "token_kind": token_kind(entry.client_key),
        "started_at": iso(entry.started_at_ms),
        "request_media_type": entry.request_media_type,
        "request_size": entry.request_size,
        "request_body": redacted_body(entry.request_body),
        "response_media_type": entry.response_media_type,
        "response_size": entry.response_size,
        "response_body": redacted_body(entry.response_body),
    }
