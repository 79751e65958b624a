"""The hottest single calls, dispatched without the framework's per-request machinery.

FastAPI matches a request by trying every route in turn, then solves the handler's
dependencies; for a primary-key read that plumbing cost several times the read itself
(docs/performance.md). ``FastLane`` is a pure ASGI layer that looks a request up by its
method, segment count and first two path segments (a dict lookup, whatever the size of
the route table), checks the route's fixed segments, and calls a plain async handler.

Only the common, well-formed shape of a call takes the lane: numeric ids, and query
parameters the route names, each matching its pattern. Anything else (an unknown or
repeated parameter, a non-numeric id, another method) goes on to FastAPI, whose route for
the same path answers it, errors included. The FastAPI routes stay registered, so the
OpenAPI document and ``/_hubgraph/compat`` are unchanged. A handler shares its body with
the FastAPI route of the same path, so both answer with the same bytes.

A new route needs nothing here: register it with FastAPI as usual (app.py). Only a
measured hot path is worth a ``FastRoute`` too (see ``hubgraph.api.fast_routes``).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from hubgraph.api.http.deps import get_principal
from hubgraph.api.http.errors import render
from hubgraph.errors import HubSpotError
from hubgraph.services.access.portals import Principal
from hubgraph.services.context import Services

# Path parameters by name; query parameters by name, each with every value sent.
PathParams = dict[str, str]
QueryParams = dict[str, list[str]]
Handler = Callable[[Request, PathParams, QueryParams], Awaitable[Response]]

DIGITS = re.compile(r"[0-9]{1,18}")
ANY = re.compile(r".*", re.DOTALL)
BOOLEAN = re.compile(r"true|false")


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def caller(request: Request) -> Principal:
    """The authenticated caller, exactly as ``PrincipalDep`` resolves it (cache, rate
    limits, faults), for handlers called without dependency injection."""
    return await get_principal(request, services_of(request), request.headers.get("authorization"))


@dataclass(frozen=True)
class FastRoute:
    """``path`` in FastAPI's syntax; ``numeric`` names the path parameters that must be
    digits; ``query`` the parameters the handler reads, with the pattern a value must
    match in full; ``repeated`` those that may be sent more than once."""

    method: str
    path: str
    handler: Handler
    numeric: frozenset[str] = frozenset()
    query: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    repeated: frozenset[str] = frozenset()

    @property
    def segments(self) -> list[str]:
        return self.path.strip("/").split("/")


@dataclass(frozen=True)
class _Compiled:
    route: FastRoute
    # (index, fixed text) and (index, parameter name, numeric?)
    fixed: tuple[tuple[int, str], ...]
    params: tuple[tuple[int, str, bool], ...]

    def match(self, parts: list[str]) -> PathParams | None:
        for i, text in self.fixed:
            if parts[i] != text:
                return None
        out: PathParams = {}
        for i, name, numeric in self.params:
            value = parts[i]
            if not value or (numeric and not DIGITS.fullmatch(value)):
                return None
            out[name] = value
        return out

    def query(self, raw: list[tuple[str, str]]) -> QueryParams | None:
        route = self.route
        out: QueryParams = {}
        for name, value in raw:
            pattern = route.query.get(name)
            if pattern is None or not pattern.fullmatch(value):
                return None
            values = out.setdefault(name, [])
            if values and name not in route.repeated:
                return None
            values.append(value)
        return out


def _compile(route: FastRoute) -> _Compiled:
    fixed, params = [], []
    for i, part in enumerate(route.segments):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1]
            params.append((i, name, name in route.numeric))
        else:
            fixed.append((i, part))
    # The first two segments are the dispatch key, so they must be fixed text.
    if [i for i, _ in fixed[:2]] != [0, 1]:
        raise ValueError(f"a fast route starts with two fixed segments: {route.path}")
    return _Compiled(route, tuple(fixed), tuple(params))


class FastLane:
    """Pure ASGI, inside the correlation and response-header middlewares (so their
    headers are on every answer) and in front of FastAPI's exception handling: a
    ``HubSpotError`` becomes HubSpot's envelope here, exactly as ``errors.render`` does
    for the framework's routes."""

    def __init__(self, app: ASGIApp, routes: Sequence[FastRoute] = ()) -> None:
        self.app = app
        self._index: dict[tuple[str, int, str, str], list[_Compiled]] = {}
        for route in routes:
            parts = route.segments
            key = (route.method, len(parts), parts[0], parts[1])
            self._index.setdefault(key, []).append(_compile(route))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._index:
            # Not stripped: a trailing slash makes an empty segment and matches nothing, so
            # the framework answers it as before.
            parts = scope["path"][1:].split("/")
            if len(parts) >= 2:
                candidates = self._index.get((scope["method"], len(parts), parts[0], parts[1]))
                if candidates:
                    for compiled in candidates:
                        path_params = compiled.match(parts)
                        if path_params is None:
                            continue
                        request = Request(scope, receive)
                        query = (
                            compiled.query(request.query_params.multi_items())
                            if scope["query_string"]
                            else {}
                        )
                        if query is None:
                            break
                        # what the framework would leave: outer middleware (metrics) reads
                        # the route's template from it
                        scope["route"] = compiled.route
                        await self._answer(compiled.route, request, path_params, query, send)
                        return
        await self.app(scope, receive, send)

    @staticmethod
    async def _answer(
        route: FastRoute, request: Request, path: PathParams, query: QueryParams, send: Send
    ) -> None:
        try:
            response = await route.handler(request, path, query)
        except HubSpotError as error:
            response = render(request, error)
        await response(request.scope, request.receive, send)
