"""FastAPI dependencies: the services, and the caller behind the bearer token."""

from __future__ import annotations

import hmac
import time
from typing import Annotated

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from hubgraph.api.http.admission import admit
from hubgraph.api.http.body import require_control_media_type
from hubgraph.api.http.local_access import why_not_local
from hubgraph.errors import AdminTokenRequired, LoopbackOnly
from hubgraph.services.access.portals import Principal, authenticate
from hubgraph.services.context import Services

# A token looked up in the last few seconds is trusted without another query: it
# keeps the event loop free of database work on the hot path.
_PRINCIPAL_TTL_SECONDS = 5.0
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


class PrincipalCache:
    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, Principal]] = {}

    def get(self, authorization: str) -> Principal | None:
        entry = self._entries.get(authorization)
        if entry is None or entry[0] < time.monotonic():
            return None
        expires_at_ms = entry[1].expires_at_ms
        if expires_at_ms is not None and expires_at_ms <= time.time() * 1000:
            # An OAuth token that expired while cached: authenticate again, which says so.
            return None
        return entry[1]

    def clear(self) -> None:
        """After a change that the cached principals carry (a portal's rate-limit tier)."""
        self._entries.clear()

    def put(self, authorization: str, principal: Principal) -> None:
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[authorization] = (time.monotonic() + _PRINCIPAL_TTL_SECONDS, principal)


async def get_principal(
    request: Request,
    services: Annotated[Services, Depends(get_services)],
    authorization: Annotated[str | None, Header()] = None,
) -> Principal:
    cache: PrincipalCache = request.app.state.principal_cache
    principal = cache.get(authorization) if authorization else None
    if principal is None:
        principal = await run_in_threadpool(authenticate, services, authorization)
        assert authorization is not None
        cache.put(authorization, principal)
    # The web UI's request log files the call under this portal (api/control/ui/request_log).
    request.state.principal = principal
    await admit(request, services, principal)
    return principal


ServicesDep = Annotated[Services, Depends(get_services)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]


def _sent_admin_token(request: Request, expected: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), expected.encode()
    )


def is_admin(request: Request, services: Services) -> bool:
    """The admin token's bearer, or (without a token configured) a local developer."""
    expected = services.settings.admin_token
    if expected:
        return _sent_admin_token(request, expected)
    return why_not_local(request) is None


def require_admin(request: Request, services: ServicesDep) -> None:
    """Guards hubgraph's control plane (/_hubgraph/ routes that act on any portal)."""
    # Once a token is configured it is required from loopback too: behind a reverse proxy
    # on the same machine every client looks like 127.0.0.1.
    expected = services.settings.admin_token
    if expected:
        if not _sent_admin_token(request, expected):
            raise AdminTokenRequired()
    else:
        reason = why_not_local(request)
        if reason is not None:
            raise LoopbackOnly(reason)


def require_admin_json(request: Request, services: ServicesDep) -> None:
    """The guard, and for writes a JSON (or YAML) body: the control plane's HTTP API. The
    web UI's forms use ``require_admin`` alone; they carry their own CSRF token."""
    require_admin(request, services)
    if request.method not in SAFE_METHODS:
        require_control_media_type(request)


AdminDep = Depends(require_admin_json)
