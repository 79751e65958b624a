"""Reading a JSON body into a spec-named model, with HubSpot's messages when it can't."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import orjson
from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import from_json
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from hubgraph import metrics
from hubgraph.api.http.request_metrics import route_template
from hubgraph.domain.text import BadText, check_tree, may_hold_bad_text, needs_strict_parse
from hubgraph.errors import (
    InvalidJsonInput,
    PayloadTooLarge,
    TooManyInputs,
    TooManyNestedItems,
    UnsupportedMediaType,
)

M = TypeVar("M")

NO_BODY = "Invalid JSON input: a request body was expected, but none found"

# Batch bodies are counted (inputs and the lists inside them) before they are validated:
# validating hundreds of thousands of items only to refuse the batch would stall the
# server. Bodies larger than this are parsed on a worker thread, not the event loop.
COUNT_FIRST_BYTES = 64 * 1024
# Nested lists of one input (batch/archive's ``to``, labels' ``types``, a record's
# ``associations``): at most a GET page's worth each (500, reference §1.7), and 20,000 in
# all per batch. HubSpot documents no such limit (reference §3): UNCONFIRMED, ours.
MAX_NESTED_PER_LIST = 500
# Bodies up to this size are always parsed strictly (orjson, ~µs per KB) before pydantic-core
# validates them; bigger ones only when a byte scan finds something that needs it.
ALWAYS_STRICT_BYTES = 256 * 1024
MAX_NESTED_PER_BATCH = 20_000


def require_json(request: Request) -> None:
    """A body that declares another media type is refused; no Content-Type is taken as JSON."""
    declared = request.headers.get("content-type")
    if not declared:
        return
    media_type = declared.split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType(media_type)


# Control-plane writes: JSON, or a YAML fixture for seed. None of these is a type a web
# page can send cross-site without a CORS preflight (which we never grant).
CONTROL_MEDIA_TYPES = (
    "application/json",
    "application/yaml",
    "application/x-yaml",
    "text/yaml",
    "text/x-yaml",
)


def _media_type(request: Request) -> str | None:
    declared = request.headers.get("content-type")
    return declared.split(";", 1)[0].strip().lower() if declared else None


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return "transfer-encoding" in request.headers or (length is not None and length != "0")


def require_control_media_type(request: Request) -> None:
    """A control-plane write carries JSON (or YAML), said so; a body without a type is refused.

    A page in a local browser can POST ``text/plain``, a form, or a typeless Blob anywhere
    without a preflight; none of them gets past this.
    """
    media_type = _media_type(request)
    if media_type is None:
        if _has_body(request):
            raise UnsupportedMediaType("(none)")
        return
    if media_type not in CONTROL_MEDIA_TYPES and not media_type.endswith("+json"):
        raise UnsupportedMediaType(media_type)


async def read_body(request: Request, limit: int) -> bytes:
    """A JSON body of at most ``limit`` bytes."""
    require_json(request)
    return await read_raw_body(request, limit)


async def read_raw_body(request: Request, limit: int, max_inputs: int | None = None) -> bytes:
    """A body of any media type (forms, YAML) of at most ``limit`` bytes.

    ``max_inputs``: a batch's input limit; refuse (400) as soon as the body has opened more
    JSON objects and arrays than such a batch can need, without reading the rest.
    """
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(limit)
    chunks: list[bytes] = []
    size = structures = 0
    max_structures = None if max_inputs is None else _structure_bound(max_inputs)
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(limit)
        if max_structures is not None:
            structures += chunk.count(b"{") + chunk.count(b"[")
            if structures > max_structures:
                raise TooManyNestedItems(MAX_NESTED_PER_LIST, MAX_NESTED_PER_BATCH, max_inputs)
        chunks.append(chunk)
    return b"".join(chunks)


# OAuth forms hold a handful of short fields; 10 MB of them took RSS to 1.5 GB (issue 12).
MAX_FORM_BYTES = 64 * 1024


async def read_form(request: Request, limit: int = MAX_FORM_BYTES) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body of at most ``limit`` bytes.

    A field whose value holds a NUL character is dropped, so it reads as missing and
    gets the endpoint's own "missing or unknown …" answer; it never reaches a query.
    Undecodable bytes become U+FFFD, so no lone surrogate survives the decoding.
    """
    raw = await read_raw_body(request, limit)
    pairs = parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=False)
    return {k: v for k, v in pairs if "\x00" not in k and "\x00" not in v}


def _structure_bound(max_inputs: int) -> int:
    """How many ``{`` and ``[`` a batch within its limits can need, generously: a few
    objects per input and two per nested item."""
    return max_inputs * 8 + MAX_NESTED_PER_BATCH * 2


def _refuse_oversized_batch(raw: bytes, max_inputs: int) -> Any:
    """Too many inputs or nested items, refused before any validation; the body's strict
    parse (``refuse_lenient_json``) is the one that counts them, so it is parsed once.
    Returns the parsed body (None when it is not JSON)."""
    # Counted in bytes first (C speed, no objects): parsing 400,000 nested items into
    # Python objects just to count them held the GIL for seconds and took 150 MB.
    # Braces inside strings count too, so the bound is generous.
    lists = raw.count(b"[")
    if raw.count(b"{") + lists > _structure_bound(max_inputs):
        raise TooManyNestedItems(MAX_NESTED_PER_LIST, MAX_NESTED_PER_BATCH, max_inputs)
    if _parsed_strictly(raw):
        parsed = loads_strict(raw)
    else:
        try:
            parsed = from_json(raw)
        except ValueError:
            return None  # not JSON: validation reports it with HubSpot's message
    inputs = parsed.get("inputs") if isinstance(parsed, dict) else None
    if not isinstance(inputs, list):
        return parsed
    if len(inputs) > max_inputs:
        raise TooManyInputs(max_inputs)
    if lists > 1:  # one ``[`` is ``inputs`` itself: no input holds a list to count
        _count_nested(inputs)
    return parsed


def _count_nested(inputs: list[Any]) -> None:
    """Lists inside the inputs (``to``, ``types``, ``associations``…), counted before any
    validation: one batch/archive input with 400,000 ``to`` ids held the loop for 9.8 s."""
    total = 0
    for item in inputs:
        lists = [v for v in item.values() if isinstance(v, list)] if isinstance(item, dict) else []
        while lists:
            nested = lists.pop()
            if len(nested) > MAX_NESTED_PER_LIST:
                raise TooManyNestedItems(MAX_NESTED_PER_LIST, MAX_NESTED_PER_BATCH)
            total += len(nested)
            if total > MAX_NESTED_PER_BATCH:
                raise TooManyNestedItems(MAX_NESTED_PER_LIST, MAX_NESTED_PER_BATCH)
            lists += [
                v for d in nested if isinstance(d, dict) for v in d.values() if isinstance(v, list)
            ]


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "body"


def loads_strict(raw: bytes) -> Any:
    """JSON as HubSpot's parser takes it: no NaN/Infinity, no number beyond a double, no
    lone surrogate (orjson refuses all three), and no NUL or surrogate in any string."""
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidJsonInput(f"Invalid input JSON: {exc}") from None
    if may_hold_bad_text(raw):
        try:
            check_tree(parsed)
        except BadText as exc:
            raise InvalidJsonInput(f"Invalid input JSON: {exc}") from None
    return parsed


def _parsed_strictly(raw: bytes) -> bool:
    return len(raw) <= ALWAYS_STRICT_BYTES or needs_strict_parse(raw)


def refuse_lenient_json(raw: bytes) -> None:
    """pydantic-core reads ``NaN``, ``Infinity`` and ``1e400`` as floats and keeps NUL in
    strings; bodies that might hold any of them are parsed strictly first."""
    if _parsed_strictly(raw):
        loads_strict(raw)


# Given a batch body already parsed (plain JSON values), the model validation would
# return, when the body plainly has its shape; None sends it through validation.
Plain = Callable[[Any], M | None]


def parse_body(
    raw: bytes,
    adapter: TypeAdapter[M],
    max_inputs: int | None = None,
    plain: Plain[M] | None = None,
) -> M:
    """Validate raw JSON straight into a model (pydantic-core parses; no json.loads).

    ``max_inputs``: a batch body's ``inputs`` limit, checked before validation on big bodies.
    ``plain``: a batch body parsed for that check is taken as it is when ``plain`` accepts
    it, not parsed and validated a second time; anything else gets validation's answer.
    """
    if not raw.strip():
        raise InvalidJsonInput(NO_BODY)
    if max_inputs is not None:
        parsed = _refuse_oversized_batch(raw, max_inputs)  # strict where it must be, as below
        taken = None if plain is None else plain(parsed)
        if taken is not None:
            return taken
    else:
        refuse_lenient_json(raw)
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


async def read_batch(
    request: Request,
    adapter: TypeAdapter[M],
    *,
    max_body: int,
    max_inputs: int,
    plain: Plain[M] | None = None,
) -> M:
    """A batch body (``{"inputs": [...]}``), refused with HubSpot's 400 above ``max_inputs``.

    Every batch endpoint reads its body this way, so the count-before-validating guard for
    big bodies and the limit's message are the same everywhere (reference §3).
    ``plain``: as for ``parse_body``.
    """
    require_json(request)
    raw = await read_raw_body(request, max_body, max_inputs)
    if len(raw) > COUNT_FIRST_BYTES:
        batch = await run_in_threadpool(parse_body, raw, adapter, max_inputs, plain)
    else:
        batch = parse_body(raw, adapter, max_inputs, plain)
    # Models carry ``.inputs``; the bulk path validates into TypedDicts (``["inputs"]``).
    inputs = batch["inputs"] if isinstance(batch, dict) else getattr(batch, "inputs")  # noqa: B009
    if len(inputs) > max_inputs:
        raise TooManyInputs(max_inputs)
    metrics.BATCH_INPUTS.labels(route_template(request.scope)).observe(len(inputs))
    return batch
