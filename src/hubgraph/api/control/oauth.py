"""``/_hubgraph/oauth/*``: create OAuth apps and mint codes without a browser (for CI)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.control.models import APP_INPUT, CODE_INPUT
from hubgraph.api.http.body import parse_body, read_body
from hubgraph.api.http.common import json_response
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import AdminDep, ServicesDep
from hubgraph.services.access import oauth

router = APIRouter(route_class=DeferredAPIRoute, prefix="/_hubgraph/oauth", dependencies=[AdminDep])


@router.post("/apps")
async def create_app(request: Request, services: ServicesDep) -> Response:
    body = parse_body(await read_body(request, services.settings.max_body_bytes), APP_INPUT)
    created = await run_in_threadpool(
        oauth.create_app, services, body.name, body.redirect_uris, body.scopes
    )
    return json_response(
        {
            "appId": created.app_id,
            "clientId": created.client_id,
            "clientSecret": created.client_secret,
            "developerAccountId": created.developer_account_id,
            "developerApiKey": created.developer_api_key,
        },
        201,
    )


@router.post("/codes")
async def create_code(request: Request, services: ServicesDep) -> Response:
    """What a user approving the consent page does; answers ``{"code": …}``."""
    body = parse_body(await read_body(request, services.settings.max_body_bytes), CODE_INPUT)
    code = await run_in_threadpool(
        lambda: oauth.issue_code(
            services,
            client_id=body.client_id,
            portal_id=body.portal_id,
            redirect_uri=body.redirect_uri,
            scope=body.scope,
            optional_scope=body.optional_scope,
            code_challenge=body.code_challenge,
            code_challenge_method=body.code_challenge_method,
        )
    )
    return json_response({"code": code}, 201)
