"""The UI's own stylesheet and scripts, served by hubgraph: no CDN, nothing third-party."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import APIRouter, Depends
from starlette.responses import Response

from hubgraph.api.control.ui.links import ROOT
from hubgraph.api.control.ui.rendering import HtmlErrorRoute
from hubgraph.api.http.deps import require_admin
from hubgraph.errors import ObjectNotFound

MEDIA_TYPES = {
    "ui.css": "text/css; charset=utf-8",
    "ui.js": "text/javascript; charset=utf-8",
    "graph.js": "text/javascript; charset=utf-8",
}

router = APIRouter(
    prefix=f"{ROOT}/static",
    dependencies=[Depends(require_admin)],
    route_class=HtmlErrorRoute,
    include_in_schema=False,
)


@cache
def _asset(name: str) -> bytes:
    return files("hubgraph.api.control.ui").joinpath("static", name).read_bytes()


@router.get("/{name}")
def asset(name: str) -> Response:
    media_type = MEDIA_TYPES.get(name)
    if media_type is None:
        raise ObjectNotFound(f"There is no UI asset {name[:60]!r}")
    return Response(
        _asset(name),
        media_type=media_type,
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )
