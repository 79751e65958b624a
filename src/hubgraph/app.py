"""``create_app(settings)``: the whole request pipeline, in the order a request meets it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

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
    oauth,
    portals,
    rate_limits,
    reports,
    restore,
    webhooks,
)
from hubgraph.api.http import errors
from hubgraph.api.http.correlation import CorrelationIdMiddleware
from hubgraph.api.http.deps import PrincipalCache
from hubgraph.api.http.response_headers import StateHeadersMiddleware
from hubgraph.api.oauth_v1 import authorize as oauth_authorize
from hubgraph.api.oauth_v1 import tokens as oauth_tokens
from hubgraph.api.objects_v3 import basic as objects_basic
from hubgraph.api.objects_v3 import batch as objects_batch
from hubgraph.api.properties_v3 import batch as properties_batch
from hubgraph.api.properties_v3 import core as properties_core
from hubgraph.api.properties_v3 import groups as properties_groups
from hubgraph.api.schemas_v3 import routes as schemas_routes
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
        async with deliveries_running(services):
            yield
        if owned:
            services.close()

    app = FastAPI(
        title="hubgraph",
        version=__version__,
        lifespan=lifespan,
        docs_url="/_hubgraph/docs",
        redoc_url=None,
        openapi_url="/_hubgraph/openapi.json",
    )
    app.state.services = services
    app.state.principal_cache = PrincipalCache()

    # 1. every response carries X-HubSpot-Correlation-Id
    app.add_middleware(CorrelationIdMiddleware)
    # 1b. rate-limit headers a dependency left in the request state, on every response
    app.add_middleware(StateHeadersMiddleware)
    # 2. every error, ours or the framework's, leaves as HubSpot's envelope
    errors.install(app)
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
    app.include_router(objects_batch.router)
    app.include_router(objects_basic.router)
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
    app.include_router(oauth.router)
    app.include_router(rate_limits.router)
    app.include_router(faults.router)
    app.include_router(webhooks_settings.router)
    app.include_router(webhooks_subscriptions.router)
    app.include_router(webhooks.router)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` and ``hubgraph serve --workers N``."""
    return create_app(Settings())
