"""The UI's actions: download a snapshot, restore one, reset the portal.

Changes need the CSRF token (``csrf.py``) and the portal id typed again: a reset or a
restore throws a portal's data away, so a stray click or a replayed form must not.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

import orjson
from fastapi import APIRouter, Depends, Header, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from hubgraph.api.control.ui import csrf
from hubgraph.api.control.ui.links import ROOT, links
from hubgraph.api.control.ui.rendering import HtmlErrorRoute, page
from hubgraph.api.http.body import read_body, read_raw_body
from hubgraph.api.http.common import json_response
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import ServicesDep, require_admin
from hubgraph.errors import InvalidJsonInput, ValidationError
from hubgraph.services.operations import explorer
from hubgraph.services.portability import snapshots

# A reset form is a few hundred bytes; a snapshot is a whole portal (as on /_hubgraph/portals).
MAX_FORM_BYTES = 16 * 1024
MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024

DONE_MESSAGES = {
    "reset": "The portal was reset: its records, associations, labels and limits are gone.",
    "restored": "The snapshot was restored.",
}

pages = APIRouter(
    prefix=ROOT,
    dependencies=[Depends(require_admin)],
    route_class=HtmlErrorRoute,
    include_in_schema=False,
)
# Restore is called by the page's script and answers JSON (errors in HubSpot's envelope).
scripted = APIRouter(
    route_class=DeferredAPIRoute,
    prefix=ROOT,
    dependencies=[Depends(require_admin)],
    include_in_schema=False,
)


@pages.get("/portals/{portalId}/actions")
def actions(
    request: Request,
    portalId: int,
    services: ServicesDep,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    return page(
        request,
        "actions.html",
        portal=explorer.portal_header(services, portalId),
        done=DONE_MESSAGES.get(done, ""),
        error="",
    )


@pages.get("/portals/{portalId}/snapshot.json")
def download_snapshot(portalId: int, services: ServicesDep) -> Response:
    document = snapshots.take_snapshot(services, portalId)
    return Response(
        orjson.dumps(document),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="hubgraph-portal-{portalId}.json"',
            "Cache-Control": "no-store",
        },
    )


@pages.post("/portals/{portalId}/reset")
async def reset(request: Request, portalId: int, services: ServicesDep) -> Response:
    form = parse_qs((await read_raw_body(request, MAX_FORM_BYTES)).decode("utf-8", "replace"))
    csrf.check(request, _field(form, "csrf"))
    _require_confirmation(portalId, _field(form, "confirm"))
    await run_in_threadpool(snapshots.reset_portal, services, portalId)
    return RedirectResponse(links.actions(portalId, done="reset"), status_code=303)


@scripted.post("/portals/{portalId}/restore")
async def restore(
    request: Request,
    portalId: int,
    services: ServicesDep,
    x_hubgraph_csrf: Annotated[str, Header()] = "",
    x_hubgraph_confirm: Annotated[str, Header()] = "",
) -> Response:
    csrf.check(request, x_hubgraph_csrf)
    _require_confirmation(portalId, x_hubgraph_confirm)
    raw = await read_body(request, MAX_SNAPSHOT_BYTES)
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidJsonInput(f"The file is not a JSON snapshot: {exc}") from None
    restored = await run_in_threadpool(snapshots.restore_snapshot, services, portalId, document)
    return json_response(
        {"restored": restored, "redirect": links.actions(portalId, done="restored")}
    )


def _field(form: dict[str, list[str]], name: str) -> str:
    values = form.get(name)
    return values[0] if values else ""


def _require_confirmation(portal_id: int, typed: str) -> None:
    if typed.strip() != str(portal_id):
        raise ValidationError(f"Type the portal id {portal_id} to confirm; nothing was changed.")
