"""``GET /_hubgraph/metrics``: Prometheus's text format; the control plane's access rules."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph import metrics
from hubgraph.api.http.deps import AdminDep

router = APIRouter(prefix="/_hubgraph", dependencies=[AdminDep])


@router.get("/metrics", summary="Prometheus metrics (every worker's)")
async def get_metrics() -> Response:
    # With several workers this reads one file per worker: off the event loop.
    body = await run_in_threadpool(metrics.exposition)
    return Response(body, media_type=metrics.CONTENT_TYPE)
