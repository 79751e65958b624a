"""Renders every error as HubSpot's envelope: ours, the framework's, and the unexpected."""

from __future__ import annotations

import logging
import traceback

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hubgraph.api.http.common import correlation_id, json_response
from hubgraph.errors import (
    HubSpotError,
    InvalidJsonInput,
    MethodNotAllowed,
    PayloadTooLarge,
    RouteNotFound,
    TooManyNestedItems,
)

log = logging.getLogger("hubgraph")


def render(request: Request, error: HubSpotError) -> Response:
    response = json_response(error.body(correlation_id(request)), error.status_code)
    if isinstance(error, PayloadTooLarge | TooManyNestedItems):
        # The refused body may still be arriving: close rather than read 10 MB more to
        # reach the next request (4 clients sending 10 MB forms held the loop otherwise).
        response.headers["Connection"] = "close"
    return response


async def on_hubspot_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HubSpotError)
    return render(request, exc)


async def on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    path = request.url.path
    if exc.status_code == 405:
        return render(request, MethodNotAllowed(request.method, path))
    if exc.status_code == 404:
        return render(request, RouteNotFound(request.method, path))
    return render(request, HubSpotError(str(exc.detail), category="VALIDATION_ERROR"))


async def on_request_validation(request: Request, exc: Exception) -> Response:
    """Query and path parameters of the wrong type (bodies are parsed in api/body.py)."""
    assert isinstance(exc, RequestValidationError)
    details = exc.errors()
    errors = [
        {"message": d["msg"], "code": d["type"], "in": ".".join(str(p) for p in d["loc"])}
        for d in details[:20]
    ]
    first = errors[0] if errors else {"in": "request", "message": "invalid"}
    return render(
        request,
        InvalidJsonInput(f"Invalid input: {first['in']}: {first['message']}", errors=errors),
    )


def describe_without_values(exc: BaseException) -> str:
    """The exception chain's class names and where each was raised, on one line.

    No exception message: a database error's text carries the statement and may carry
    the values (a unique violation's DETAIL names the key, a driver error the parameter),
    i.e. record data and secrets' hashes. File, line and function find the bug.
    """
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)
        where = " < ".join(
            f"{_short(f.filename)}:{f.lineno} {f.name}" for f in reversed(frames[-8:])
        )
        kind = type(current)
        parts.append(f"{kind.__module__}.{kind.__qualname__} at {where or '?'}")
        current = current.__cause__ or current.__context__
    return " | caused by ".join(parts)


def _short(filename: str) -> str:
    # Paths from the package or site-packages root: the same on every machine.
    for marker in ("/site-packages/", "/src/"):
        if marker in filename:
            return filename.rsplit(marker, 1)[1]
    return filename


class UnexpectedErrorMiddleware:
    """The last resort: an unhandled exception becomes HubSpot's 500 envelope, logged once.

    Starlette's own last-resort handler answers and then re-raises, and the server then
    drops the connection, which can reset it before the client has read the 500. Caught
    here, the exception ends with the answer and the connection stays usable.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            # Logged with the correlation id so an operator can find it; the client sees no trace.
            cid = str(scope.get("state", {}).get("correlation_id", ""))
            log.error("unhandled error, correlationId=%s %s", cid, describe_without_values(exc))
            if started:
                return  # too late for an error answer; the server closes the connection
            error = HubSpotError("internal error", category="INTERNAL_ERROR")
            response = json_response(error.body(cid), 500)
            # This middleware sits outside the correlation middleware, so add the header here.
            response.headers["X-HubSpot-Correlation-Id"] = cid
            await response(scope, receive, send)


def install(app: FastAPI) -> None:
    app.add_exception_handler(HubSpotError, on_hubspot_error)
    app.add_exception_handler(StarletteHTTPException, on_http_exception)
    app.add_exception_handler(RequestValidationError, on_request_validation)
    app.add_middleware(UnexpectedErrorMiddleware)
