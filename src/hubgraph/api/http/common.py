"""Pieces every HubSpot API family shares: JSON responses, the batch envelope, errors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from hubgraph.services.clock import iso, now_ms
from hubgraph.services.results import ItemError

# HubSpot sends no space before charset (reference §0).
JSON_MEDIA_TYPE = "application/json;charset=utf-8"


class JSONBytesResponse(Response):
    media_type = JSON_MEDIA_TYPE


def json_response(body: Any, status_code: int = 200) -> Response:
    return JSONBytesResponse(orjson.dumps(body), status_code=status_code)


def no_content() -> Response:
    return Response(status_code=204)


def correlation_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("correlation_id", ""))


def error_item(error: ItemError) -> dict[str, Any]:
    """A batch ``errors`` entry: HubSpot's StandardError, with the spec-required fields."""
    item: dict[str, Any] = {
        "status": "error",
        "category": error.category,
        "message": error.message,
        "context": error.context,
        "errors": [],
        "links": {},
    }
    if error.sub_category:
        item["subCategory"] = error.sub_category
    return item


def batch_envelope(
    results: list[Any] | orjson.Fragment,
    errors: Iterable[ItemError],
    started_ms: int,
    completed_ms: int,
) -> dict[str, Any]:
    """HubSpot's batch response (reference §5.1); errors appear only when there are some."""
    body: dict[str, Any] = {"status": "COMPLETE", "results": results}
    rendered = [error_item(e) for e in errors]
    if rendered:
        body["errors"] = rendered
        body["numErrors"] = len(rendered)
    body["startedAt"] = iso(started_ms)
    body["completedAt"] = iso(completed_ms)
    return body


def batch_response(
    results: list[Any] | orjson.Fragment,
    errors: list[ItemError],
    started_ms: int,
    success: int = 200,
    partial: int = 207,
) -> Response:
    """The batch envelope as the response: ``success`` when every input worked, else ``partial``.

    Batch endpoints differ only in these two codes (associate/default answers 200 either way).
    """
    body = batch_envelope(results, errors, started_ms, now_ms())
    return json_response(body, partial if errors else success)
