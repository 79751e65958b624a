"""``GET /_hubgraph/metrics``: Prometheus's text format; the control plane's access rules."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph import metrics
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import AdminDep, ServicesDep
from hubgraph.services.context import Services
from hubgraph.services.webhooks.deliveries import pending_count

router = APIRouter(route_class=DeferredAPIRoute, prefix="/_hubgraph", dependencies=[AdminDep])


@router.get("/metrics", summary="Prometheus metrics (every worker's)")
async def get_metrics(services: ServicesDep) -> Response:
    # With several workers this reads one file per worker: off the event loop.
    body = await run_in_threadpool(_exposition, services)
    return Response(body, media_type=metrics.CONTENT_TYPE)


def _exposition(services: Services) -> bytes:
    # the outbox is shared by every worker and node: read when scraped, one count query
    metrics.WEBHOOK_EVENTS_PENDING.set(pending_count(services))
    return metrics.exposition()
