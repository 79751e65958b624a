"""``/oauth/v1/token`` and the token metadata endpoints (spec: auth-oauth-v1.json)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.http.body import read_form
from hubgraph.api.http.common import json_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import ServicesDep
from hubgraph.services.access import oauth

router = APIRouter(route_class=DeferredAPIRoute, prefix="/oauth/v1")

# The spec also takes these two in the query string (legacy); the form wins.
QUERY_FIELDS = ("client_secret", "refresh_token")


@router.post("/token")
async def create_token(request: Request, services: ServicesDep) -> Response:
    form = {k: v for k, v in request.query_params.items() if k in QUERY_FIELDS and "\x00" not in v}
    form |= await read_form(request)
    body = await run_in_threadpool(oauth.exchange, services, form)
    return json_response(body)


@router.get("/access-tokens/{token}")
async def get_access_token(token: str, services: ServicesDep) -> Response:
    return json_response(await run_in_threadpool(oauth.access_token_info, services, token))


@router.get("/refresh-tokens/{token}")
async def get_refresh_token(token: str, services: ServicesDep) -> Response:
    return json_response(await run_in_threadpool(oauth.refresh_token_info, services, token))


@router.delete("/refresh-tokens/{token}")
async def archive_refresh_token(token: str, services: ServicesDep) -> Response:
    await run_in_threadpool(oauth.delete_refresh_token, services, token)
    return no_content()
