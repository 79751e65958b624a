"""Reading a JSON body into a spec-named model, with HubSpot's messages when it can't."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticValidationError
from starlette.requests import Request

from hubgraph.errors import InvalidJsonInput, PayloadTooLarge

M = TypeVar("M")

NO_BODY = "Invalid JSON input: a request body was expected, but none found"


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "body"


def parse_body(raw: bytes, adapter: TypeAdapter[M]) -> M:
    """Validate raw JSON straight into a model (pydantic-core parses; no json.loads)."""
    if not raw.strip():
        raise InvalidJsonInput(NO_BODY)
    try:
        return adapter.validate_json(raw)
    except PydanticValidationError as exc:
        raise _invalid_input(exc) from None


def _invalid_input(exc: PydanticValidationError) -> InvalidJsonInput:
    details = exc.errors(include_url=False, include_context=False, include_input=False)
    first = details[0]
    if first["type"] == "json_invalid":
        return InvalidJsonInput(f"Invalid input JSON: {first['msg']}")
    errors: list[dict[str, Any]] = [
        {"message": d["msg"], "code": d["type"], "in": _location(d["loc"])} for d in details[:20]
    ]
    return InvalidJsonInput(
        f"Invalid input JSON: {_location(first['loc'])}: {first['msg']}", errors=errors
    )


class HubSpotModel(BaseModel):
    """Request models: numbers where HubSpot takes strings are accepted, as Jackson does."""

    model_config = {"coerce_numbers_to_str": True, "populate_by_name": True}
