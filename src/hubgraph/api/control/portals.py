"""The control plane: portals made, reset, snapshotted, restored and seeded over HTTP.

Like moto's ``/moto-api/reset``, it lives under ``/_hubgraph/`` and never under a HubSpot
prefix. It is guarded (``require_admin``): loopback clients only, or, once the server has
``HUBGRAPH_ADMIN_TOKEN``, any client that sends that token and no client that doesn't.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.http.body import NO_BODY, loads_strict, read_body, read_raw_body
from hubgraph.api.http.common import json_response
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import AdminDep, ServicesDep
from hubgraph.errors import InvalidJsonInput
from hubgraph.services.access import portals
from hubgraph.services.portability import seed, snapshots

# Snapshots are whole portals: allow more than an API call's body, but not without bound.
MAX_CONTROL_BODY_BYTES = 256 * 1024 * 1024
# YAML parses ~100x slower than JSON: 1 MB of it held a worker 4.7 s with the pure-Python
# loader (issue 12). Fixtures written by hand are far smaller; big data goes in as JSON.
MAX_YAML_BYTES = 1024 * 1024
YAML_MEDIA_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


router = APIRouter(
    route_class=DeferredAPIRoute, prefix="/_hubgraph/portals", dependencies=[AdminDep]
)


async def _json_body(request: Request, required: bool = True) -> Any:
    raw = await read_body(request, MAX_CONTROL_BODY_BYTES)
    if not raw.strip():
        if required:
            raise InvalidJsonInput(NO_BODY)
        return None
    # Snapshots run to hundreds of MB: parsed on a worker thread, not the event loop.
    return await run_in_threadpool(loads_strict, raw)


@router.post("")
async def create_portal(request: Request, services: ServicesDep) -> Response:
    """A new portal and a token for it: ``{"name"?: str, "scopes"?: [str]}``."""
    body = await _json_body(request, required=False) or {}
    if not isinstance(body, dict):
        raise InvalidJsonInput("Invalid input JSON: expected an object")
    name = str(body.get("name") or "hubgraph")
    scopes = body.get("scopes")
    if scopes is not None and not (
        isinstance(scopes, list) and all(isinstance(s, str) for s in scopes)
    ):
        raise InvalidJsonInput("Invalid input JSON: scopes must be a list of strings")
    portal_id = await run_in_threadpool(portals.create_portal, services, name)
    token = await run_in_threadpool(portals.create_token, services, portal_id, scopes)
    return json_response({"portalId": portal_id, "token": token}, 201)


@router.post("/{portalId}/reset")
def reset(portalId: int, services: ServicesDep) -> Response:
    deleted = snapshots.reset_portal(services, portalId)
    return json_response({"portalId": portalId, "deleted": deleted})


@router.get("/{portalId}/snapshot")
def get_snapshot(portalId: int, services: ServicesDep) -> Response:
    return json_response(snapshots.take_snapshot(services, portalId))


@router.put("/{portalId}/snapshot")
async def put_snapshot(
    portalId: int,
    request: Request,
    services: ServicesDep,
) -> Response:
    """Restore: the portal's data becomes the snapshot's, all or nothing."""
    document = await _json_body(request)
    restored = await run_in_threadpool(snapshots.restore_snapshot, services, portalId, document)
    return json_response({"portalId": portalId, "restored": restored})


@router.post("/{portalId}/seed")
async def post_seed(
    portalId: int,
    request: Request,
    services: ServicesDep,
) -> Response:
    """Seed from a fixture: JSON, or YAML when the Content-Type says so."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    yaml = media_type in YAML_MEDIA_TYPES
    raw = await read_raw_body(request, MAX_YAML_BYTES if yaml else MAX_CONTROL_BODY_BYTES)
    if not raw.strip():
        raise InvalidJsonInput(NO_BODY)
    # Parsing is CPU work (YAML especially): on a worker thread, never on the event loop.
    fixture = await run_in_threadpool(
        seed.parse_fixture, raw, "fixture.yaml" if yaml else "fixture.json"
    )
    result = await run_in_threadpool(seed.seed_portal, services, portalId, fixture)
    return json_response({"portalId": portalId, **result.as_json()})
