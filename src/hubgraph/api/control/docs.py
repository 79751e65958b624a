"""``/_hubgraph/docs`` and ``/_hubgraph/openapi.json`` behind the control plane's guard.

FastAPI serves both itself, to anyone, when ``create_app`` names them; the route list they
publish is a map of the control plane, so they answer only to the admin (or, without an
admin token, a developer on their own machine), like every other ``/_hubgraph/`` route but
``health`` (issue 12).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, JSONResponse

from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import AdminDep

OPENAPI_URL = "/_hubgraph/openapi.json"
router = APIRouter(
    route_class=DeferredAPIRoute,
    prefix="/_hubgraph",
    dependencies=[AdminDep],
    include_in_schema=False,
)


@router.get("/openapi.json")
async def openapi(request: Request) -> JSONResponse:
    # Built once per app and cached by FastAPI; the first build walks every route.
    return JSONResponse(await run_in_threadpool(request.app.openapi))


@router.get("/docs")
async def docs(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(openapi_url=OPENAPI_URL, title=f"{request.app.title} - API docs")
