"""The caller of the Webhooks API: a developer account's API key, as ``?hapikey=``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from starlette.concurrency import run_in_threadpool

from hubgraph.api.http.deps import ServicesDep
from hubgraph.services.webhooks.management import DeveloperApp, authenticate


async def get_developer_app(
    appId: int,
    services: ServicesDep,
    hapikey: Annotated[str | None, Query()] = None,
) -> DeveloperApp:
    return await run_in_threadpool(authenticate, services, hapikey, appId)


DeveloperAppDep = Annotated[DeveloperApp, Depends(get_developer_app)]
