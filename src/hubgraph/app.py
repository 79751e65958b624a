"""``create_app(settings)``: the whole request pipeline, in the order a request meets it."""

from __future__ import annotations

import gc
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.routing import iter_route_contexts

from hubgraph import __version__
from hubgraph.api.associations_2026_03 import basic as associations_2026_03_basic
from hubgraph.api.associations_2026_03 import batch as associations_2026_03_batch
from hubgraph.api.associations_2026_03 import report as associations_2026_03_report
from hubgraph.api.associations_2026_03 import schema as associations_2026_03_schema
from hubgraph.api.associations_v4 import basic as associations_basic
from hubgraph.api.associations_v4 import batch as associations_batch
from hubgraph.api.associations_v4 import report as associations_report
from hubgraph.api.associations_v4 import schema as associations_schema
from hubgraph.api.control import (
    admin,
    faults,
    metrics,
    oauth,
    owners,
    portals,
    rate_limits,
    reports,
    restore,
    webhooks,
)
from hubgraph.api.control import docs as control_docs
from hubgraph.api.control.ui import actions as ui_actions
from hubgraph.api.control.ui import assets as ui_assets
from hubgraph.api.control.ui import graph as ui_graph
from hubgraph.api.control.ui import pages as ui_pages
from hubgraph.api.control.ui.request_log import RequestLog, RequestLogMiddleware
from hubgraph.api.dated_2026_03 import owners as owners_2026_03
from hubgraph.api.dated_2026_03 import pipelines as pipelines_2026_03
from hubgraph.api.fast_routes import fast_routes
from hubgraph.api.http import errors
from hubgraph.api.http.access_log import AccessLogMiddleware
from hubgraph.api.http.correlation import CorrelationIdMiddleware
from hubgraph.api.http.deps import PrincipalCache
from hubgraph.api.http.fast_lane import FastLane
from hubgraph.api.http.leading_slashes import LeadingSlashesMiddleware
from hubgraph.api.http.request_metrics import RequestMetricsMiddleware
from hubgraph.api.http.response_headers import StateHeadersMiddleware
from hubgraph.api.http.url_text import refuse_nul_in_url
from hubgraph.api.oauth_v1 import authorize as oauth_authorize
from hubgraph.api.oauth_v1 import tokens as oauth_tokens
from hubgraph.api.objects_2026_03 import search as objects_2026_03_search
from hubgraph.api.objects_v3 import basic as objects_basic
from hubgraph.api.objects_v3 import batch as objects_batch
from hubgraph.api.objects_v3 import search as objects_search
from hubgraph.api.owners_v3 import basic as owners_basic
from hubgraph.api.pipelines_v1 import pipelines as pipelines_v1
from hubgraph.api.pipelines_v3 import pipelines as pipelines_v3
from hubgraph.api.pipelines_v3 import stages as pipeline_stages_v3
from hubgraph.api.properties_v3 import batch as properties_batch
from hubgraph.api.properties_v3 import core as properties_core
from hubgraph.api.properties_v3 import groups as properties_groups
from hubgraph.api.schemas_v3 import routes as schemas_routes
from hubgraph.api.settings_users_v3 import users as settings_users_v3
from hubgraph.api.webhooks_v3 import settings as webhooks_settings
from hubgraph.api.webhooks_v3 import subscriptions as webhooks_subscriptions
from hubgraph.config import Settings
from hubgraph.services.context import Services
from hubgraph.services.webhooks import events as webhook_events
from hubgraph.services.webhooks.delivery import deliveries_running


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """One app owns its services (engine included), so two apps never share state."""
    settings = settings or Settings()
    owned = services is None
    services = services or Services.from_settings(settings)

    webhook_events.install(services)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        loop_reads = services.database.loop_reads
        if loop_reads is not None:
            loop_reads.bind()
        try:
            async with deliveries_running(services):
                yield
        finally:
            if loop_reads is not None:
                await loop_reads.close()
        if owned:
            services.close()

    app = FastAPI(
        title="hubgraph",
        version=__version__,
        lifespan=lifespan,
        # served by api/control/docs.py, behind the control plane's guard
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        # FastAPI's built-in OpenTelemetry asked the environment and three providers about
        # itself on every request (8% of a health check's CPU); hubgraph's metrics are
        # Prometheus (`/_hubgraph/metrics`, docs/compat.md).
        telemetry={"tracing": False, "metrics": False, "logs": False},
        # 0. before any route's own dependencies: no NUL from the URL reaches a lookup
        dependencies=[Depends(refuse_nul_in_url)],
    )
    app.state.services = services
    app.state.principal_cache = PrincipalCache()
    app.state.request_log = RequestLog()

    # 0. the hottest calls skip the framework's routing and dependency injection (the
    #    innermost middleware, so the ones below wrap its answers too)
    app.add_middleware(FastLane, routes=fast_routes())
    # 1. every response carries X-HubSpot-Correlation-Id
    app.add_middleware(CorrelationIdMiddleware)
    # 1a. an SDK host with a trailing slash asks for //crm/...: served as /crm/...
    app.add_middleware(LeadingSlashesMiddleware)
    # 1b. rate-limit headers a dependency left in the request state, on every response
    app.add_middleware(StateHeadersMiddleware)
    # 1c. the web UI's log of each portal's last API requests, as the client received them
    app.add_middleware(RequestLogMiddleware, log=app.state.request_log)
    # 2. every error, ours or the framework's, leaves as HubSpot's envelope
    errors.install(app)
    # 0. outermost: metrics and the access log time the whole pipeline, see the final status
    app.add_middleware(RequestMetricsMiddleware)
    if settings.access_log:
        app.add_middleware(AccessLogMiddleware)
    # 3. HubSpot's API families, then our own control plane
    # schema first: its fixed segments (definitions/configurations) beat {from}/{to}
    app.include_router(associations_schema.router)
    app.include_router(associations_batch.router)
    app.include_router(associations_basic.router)
    app.include_router(associations_report.router)
    app.include_router(associations_2026_03_schema.router)
    app.include_router(associations_2026_03_batch.router)
    app.include_router(associations_2026_03_basic.router)
    app.include_router(associations_2026_03_report.router)
    app.include_router(objects_search.router)
    app.include_router(objects_2026_03_search.router)
    app.include_router(objects_batch.router)
    app.include_router(objects_basic.router)
    app.include_router(owners_basic.router)
    app.include_router(pipeline_stages_v3.router)
    app.include_router(pipelines_v3.router)
    app.include_router(pipelines_v1.router)
    app.include_router(owners_2026_03.router)
    app.include_router(pipelines_2026_03.router)
    app.include_router(settings_users_v3.router)

    # groups and batch first: their fixed segments beat {propertyName}
    app.include_router(properties_groups.router)
    app.include_router(properties_batch.router)
    app.include_router(properties_core.router)
    for schemas_router in schemas_routes.routers:
        app.include_router(schemas_router)
    app.include_router(oauth_tokens.router)
    app.include_router(oauth_authorize.router)
    app.include_router(admin.router)
    app.include_router(reports.router)
    app.include_router(restore.router)
    app.include_router(portals.router)
    app.include_router(owners.router)
    app.include_router(oauth.router)
    app.include_router(rate_limits.router)
    app.include_router(faults.router)
    app.include_router(metrics.router)
    app.include_router(control_docs.router)
    app.include_router(webhooks_settings.router)
    app.include_router(webhooks_subscriptions.router)
    app.include_router(webhooks.router)
    # the web UI (/_hubgraph/ui/): graph.json before the pages' {objectId} routes see it
    app.include_router(ui_assets.router)
    app.include_router(ui_graph.router)
    app.include_router(ui_actions.scripted)
    app.include_router(ui_actions.pages)
    app.include_router(ui_pages.router)
    return app


# How long a thread may hold the GIL while another waits for it (Python's default: 5 ms).
SWITCH_INTERVAL_SECONDS = 0.001


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` and ``hubgraph serve --workers N``."""
    app = create_app(Settings())
    # FastAPI builds the routes as this app serves them (dependencies, validators) when a
    # router first meets a request: a first call to a late router, or to no route at all,
    # built every router before it (~0.3 s of CPU). Built here, before the worker answers
    # its first health check, no first call pays for it (issue 16).
    for _ in iter_route_contexts(app.router.routes):
        pass
    # Everything alive now (modules, the app, reference data) lives as long as the worker:
    # moved out of the collector's sight, a full collection no longer walks it, which was
    # most of a large read's p99 (docs/performance.md). Only the serving process does
    # this; tests build many apps in one process and want them collected.
    gc.collect()
    gc.freeze()
    # A thread building a big answer holds the GIL until the interpreter asks it to let go,
    # every switch interval; the event loop needs the GIL back after each system call (a
    # socket read, a database step), so with 5 ms (Python's default) one health check cost
    # tens of milliseconds while big answers were built (docs/reliability.md, "Under abuse").
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    return app
