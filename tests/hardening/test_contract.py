"""Contract fuzzing with HubSpot's own OpenAPI specs (schemathesis) against a real server.

Every operation of the specs that the app routes is fuzzed, valid and invalid inputs
alike: no 5xx, and every answer uses one of the spec's status codes, its content type and
its response schema (the spec's ``default`` response is HubSpot's error envelope). The
operations are picked by matching the specs against ``app.routes``, so a route added on
another branch is fuzzed here without an edit. Known spec-vs-server differences are
patched in ONE place: ``routes.KNOWN_SPEC_DIFFERENCES``.

Success bodies are checked too (issue 12): every positive run starts with the operation's
valid request on live data (``tests/support/fuzz_data.py``), steers most generated cases
to the same data, and fails unless the operation answered 2xx, with results where it
returns any. The answers per operation are printed at the end of the run.

Bounded for CI; a longer run is one command:

    HUBGRAPH_FUZZ_EXAMPLES=500 .venv/bin/python -m pytest tests/hardening/test_contract.py -n 2
"""

from __future__ import annotations

import os
import traceback
from functools import cache
from typing import Any

import orjson
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hubgraph.api.associations_v4 import batch as v4_batch
from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.services.context import Services
from hubgraph.testing import ServerThread
from tests.support.fuzz_data import (
    LiveData,
    developer_query,
    path_value,
    steer_body,
    steer_path,
    valid_request,
)
from tests.support.live import LivePortal
from tests.support.routes import (
    SPEC_FILES,
    implemented_spec,
    specs_available,
    specs_missing_reason,
)

# Generated examples per operation, besides the valid request on live data that every
# positive run starts with: negative cases find fewer new answers, so they get fewer.
_EXAMPLES = int(os.environ.get("HUBGRAPH_FUZZ_EXAMPLES", "3"))
MAX_EXAMPLES = {GenerationMode.POSITIVE: _EXAMPLES, GenerationMode.NEGATIVE: max(1, _EXAMPLES // 2)}


@schemathesis.check
def documented_success_status(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 2xx must be one the spec lists: its ``default`` (the error envelope) matches any
    code, so ``status_code_conformance`` alone would let a 201-for-200 slip through, and
    the SDKs turn an unlisted 2xx into ``None`` (reference §1.0)."""
    if not 200 <= response.status_code < 300:
        return None
    listed = sorted(int(c) for c in case.operation.definition.raw["responses"] if c.isdigit())
    assert response.status_code in listed, (
        f"{response.status_code} is not among the spec's success codes {listed}"
    )
    return True


CHECKS = [
    schemathesis.checks.not_a_server_error,
    documented_success_status,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Path parameters that name object types are drawn from real names half the time, so the
# fuzzer gets past "Unable to infer object type" into the endpoints' real work.
OBJECT_TYPE_NAMES = ["contacts", "companies", "deals", "0-1", "COMPANY", "tickets", "widgets"]


@cache
def _routing_app() -> Any:
    # Only the route table is read; the engine is lazy and never connects.
    return create_app(Settings(database_url="sqlite://"))


# Request bodies are generated with at most this many items per array: HubSpot's schemas
# nest arrays of maps of arrays, and unbounded generation costs seconds per example.
# Responses are still validated against the spec's own, unbounded schemas.
MAX_BODY_ARRAY_ITEMS = 3


def _bounded(schema: Any, components: dict[str, Any], depth: int = 0) -> Any:
    """``schema`` with $refs inlined and every array capped at MAX_BODY_ARRAY_ITEMS."""
    if depth > 20:
        return {}
    if isinstance(schema, list):
        return [_bounded(s, components, depth + 1) for s in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return _bounded(components[ref.rsplit("/", 1)[1]], components, depth + 1)
    bounded = {k: _bounded(v, components, depth + 1) for k, v in schema.items()}
    if bounded.get("type") == "array":
        bounded["maxItems"] = min(
            bounded.get("maxItems", MAX_BODY_ARRAY_ITEMS), MAX_BODY_ARRAY_ITEMS
        )
    return bounded


def _with_bounded_bodies(spec: dict[str, Any]) -> dict[str, Any]:
    components = spec.get("components", {}).get("schemas", {})
    for item in spec["paths"].values():
        for operation in item.values():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                if "schema" in media:
                    media["schema"] = _bounded(media["schema"], components)
    return spec


@cache
def _schema(spec_name: str) -> Any:
    spec = _with_bounded_bodies(implemented_spec(spec_name, _routing_app()))
    return schemathesis.openapi.from_dict(spec)


def _operations() -> list[Any]:
    if not specs_available():
        # Under CI the contract must run: a missing specs folder fails (the test body
        # below), it does not skip the whole contract silently (issue 12).
        reason = str(specs_missing_reason())
        marks = [] if os.environ.get("CI") == "true" else [pytest.mark.skip(reason=reason)]
        return [pytest.param(None, marks=marks, id="specs-missing")]
    found = []
    for name in SPEC_FILES:
        for path, item in implemented_spec(name, _routing_app())["paths"].items():
            for method in item:
                found.append(pytest.param((name, method.upper(), path), id=f"{method} {path}"))
    return found


def _type_parameters(operation: Any) -> list[str]:
    return [p.name for p in operation.path_parameters if "objecttype" in p.name.lower()]


def _strategy(operation: Any, mode: GenerationMode) -> Any:
    generated = operation.as_strategy(generation_mode=mode)
    names = _type_parameters(operation)
    if not names:
        return generated
    real_types = st.fixed_dictionaries({n: st.sampled_from(OBJECT_TYPE_NAMES) for n in names})
    steered = real_types.flatmap(
        lambda fixed: operation.as_strategy(generation_mode=mode, path_parameters=fixed)
    )
    return st.one_of(generated, steered)


def _nothing_invalid(operation: Any) -> bool:
    """True when every input is a path string without constraints and there is no body:
    no request can break the spec, and hypothesis would spend seconds proving it."""
    raw = operation.definition.raw
    if "requestBody" in raw:
        return False
    for parameter in raw.get("parameters", []):
        schema = parameter.get("schema", {})
        constrained = set(schema) - {"type", "description", "default", "example"}
        if parameter.get("in") != "path" or schema.get("type") != "string" or constrained:
            return False
    return True


def _valid_case(operation: Any, data: LiveData) -> Any:
    """The operation's one request that HubSpot answers with a 2xx, on live data."""
    path = operation.path
    parameters = {p.name: path_value(p.name, path, data) or "1" for p in operation.path_parameters}
    valid = valid_request(operation.method.upper(), path, data)
    extra: dict[str, Any] = {}
    if valid.body is not None:
        extra["body"] = valid.body
        extra["media_type"] = valid.media_type or "application/json"
    return operation.Case(path_parameters=parameters, query=valid.query, **extra)


def _has_data(response: Any) -> bool:
    """A 2xx that carries something: a body, and if it lists results, at least one."""
    if not response.content:
        return False
    try:
        body = response.json()
    except ValueError:
        return True
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return bool(body["results"])
    return bool(body)


# Operations whose success never lists anything on hubgraph, and why.
EMPTY_BY_DESIGN = {
    # The spec types these results as opaque objects and no example shows any, so the
    # answer is an empty COMPLETE BatchResponse (docs/compat.md).
    "POST /crm/associations/2026-03/{fromObjectType}/{toObjectType}/batch/archive",
    "POST /crm/associations/2026-03/{fromObjectType}/{toObjectType}/batch/labels/archive",
    "POST /crm/associations/2026-03/definitions/configurations/{fromObjectType}/{toObjectType}"
    "/batch/purge",
    # hubgraph's users hold no roles (api/settings_users_v3).
    "GET /settings/v3/users/roles",
}


def _returns_data(operation: Any) -> bool:
    """Whether a success of the operation has something to show (204s do not)."""
    if f"{operation.method.upper()} {operation.path}" in EMPTY_BY_DESIGN:
        return False
    responses = operation.definition.raw["responses"]
    return any(c.startswith("2") and responses[c].get("content") for c in responses)


def _fuzz(
    operation: Any,
    mode: GenerationMode,
    base_url: str,
    data: LiveData,
    tally: dict[str, Any],
    mutate: Any = None,
) -> None:
    """Fuzz one operation; raises on the first answer that breaks the contract. In positive
    mode the operation's valid request on live data runs first (an explicit example)."""
    portal = data.portal
    session = requests.Session()
    session.headers.update(portal.headers)

    def exercise(case: Any, steer: int) -> None:
        # The generated case may carry its own Authorization; the portal's token wins.
        case.headers = {
            k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"
        }
        # The Webhooks API's caller is the app's developer: its key, in every mode.
        if (key := developer_query(operation.path, data)) and steer >= 0:
            case.query = {**(case.query or {}), **key}
        if steer > 0 and mode is GenerationMode.POSITIVE:
            # Three cases in four name live records, so success bodies get checked too.
            case.path_parameters = steer_path(case.path_parameters, operation.path, data)
            if isinstance(case.body, dict | list):
                case.body = steer_body(case.body, operation.path, data)
        response = case.call(base_url=base_url, session=session, headers=portal.headers, timeout=30)
        tally["calls"] += 1
        if 200 <= response.status_code < 300:
            tally["2xx"] += 1
            tally["data"] += _has_data(response)
        elif steer == -1:
            tally["refused"] = f"{response.status_code} {response.text[:300]}"
        if mutate is not None:
            mutate(response)  # the broken-body tests: a success body altered in transit
        case.validate_response(response, checks=CHECKS, headers=portal.headers)

    test = given(case=_strategy(operation, mode), steer=st.integers(0, 3))(exercise)
    if mode is GenerationMode.POSITIVE:
        test = example(case=_valid_case(operation, data), steer=-1)(test)
    test = settings(
        max_examples=MAX_EXAMPLES[mode],
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )(test)
    try:
        test()
    finally:
        session.close()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("key", _operations())
def test_operation_keeps_the_contract(
    key: tuple[str, str, str] | None,
    mode: GenerationMode,
    live_server: ServerThread,
    live_portal: LivePortal,
    services: Services,
    record_property: Any,
) -> None:
    if key is None:
        pytest.fail(f"{specs_missing_reason()} (CI must run the contract tests)")
    spec_name, method, path = key
    operation = _schema(spec_name)[path][method]
    if mode is GenerationMode.NEGATIVE and _nothing_invalid(operation):
        pytest.skip("the spec leaves no room for invalid input on this operation")
    tally: dict[str, Any] = {"calls": 0, "2xx": 0, "data": 0}
    data = LiveData.create(live_portal, services)
    try:
        _fuzz(operation, mode, live_server.base_url, data, tally)
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE
        pytest.skip("the spec leaves no room for invalid input on this operation")
    finally:
        # Printed per operation at the end of the run (tests/hardening/conftest.py).
        label = f"{method} {path}"
        record_property("fuzz", (label, str(mode), tally["calls"], tally["2xx"], tally["data"]))
    if mode is GenerationMode.POSITIVE:
        # Every served operation answers success on live data, and shows it (issue 12).
        refused = tally.get("refused", "")
        assert tally["2xx"] > 0, f"{label} never answered 2xx; its valid request got {refused}"
        if _returns_data(operation):
            assert tally["data"] > 0, f"{label} answered 2xx only with empty results"


BATCH_READ = "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read"


def _require_specs() -> None:
    if not specs_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{specs_missing_reason()} (CI must run the contract tests)")
        pytest.skip(str(specs_missing_reason()))


def _expect_caught(operation: Any, base_url: str, data: LiveData, mutate: Any = None) -> str:
    """Fuzz ``operation`` expecting a contract failure; the failure's text."""
    tally: dict[str, Any] = {"calls": 0, "2xx": 0, "data": 0}
    with pytest.raises(BaseException, match=r"(?s).") as failure:  # grouped by hypothesis
        _fuzz(operation, GenerationMode.POSITIVE, base_url, data, tally, mutate)
    assert tally["2xx"] > 0
    return "".join(traceback.format_exception(failure.value))


def test_a_broken_success_body_is_caught(
    live_server: ServerThread,
    live_portal: LivePortal,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The mutation the review made: ``toObjectId`` rendered as a string. Only a fuzzer that
    reaches real, non-empty results can see it (issue 12)."""
    _require_specs()
    render = v4_batch.batch_read_results_json

    def broken(*args: Any) -> list[str]:
        out = []
        for result in render(*args):  # each input's JSON, pre-rendered (performance)
            body = orjson.loads(result)
            body["to"] = [{**item, "toObjectId": str(item["toObjectId"])} for item in body["to"]]
            out.append(orjson.dumps(body).decode())
        return out

    monkeypatch.setattr(v4_batch, "batch_read_results_json", broken)
    operation = _schema("crm-associations-v4.json")[BATCH_READ]["POST"]
    data = LiveData.create(live_portal, services)
    found = _expect_caught(operation, live_server.base_url, data)
    assert "Response violates schema" in found
    assert "toObjectId" in found


def _drop_required(field: str) -> Any:
    def mutate(response: Any) -> None:
        if not 200 <= response.status_code < 300:
            return
        body = response.json()
        for result in body.get("results", []):
            result.pop(field, None)
        response.content = orjson.dumps(body)
        response.clear_cache()  # the parsed body is cached

    return mutate


@pytest.mark.parametrize(
    ("spec_name", "path", "field"),
    [
        ("crm-objects-v3.json", "/crm/v3/objects/{objectType}/batch/read", "createdAt"),
        ("crm-properties-v3.json", "/crm/v3/properties/{objectType}", "type"),
        ("crm-schemas-v3.json", "/crm-object-schemas/v3/schemas", "requiredProperties"),
    ],
    ids=["objects-batch-read", "properties-list", "schemas-list"],
)
def test_a_success_body_missing_a_required_field_is_caught(
    spec_name: str,
    path: str,
    field: str,
    live_server: ServerThread,
    live_portal: LivePortal,
    services: Services,
) -> None:
    """Every result of a success answer loses a field the spec requires, on its way to the
    checks: the contract tests must notice, on lists the fuzzer reaches with live data."""
    _require_specs()
    method = "POST" if path.endswith("/batch/read") else "GET"
    operation = _schema(spec_name)[path][method]
    data = LiveData.create(live_portal, services)
    if "schemas" in path:
        assert data.schema["id"]  # the list holds one schema
    found = _expect_caught(operation, live_server.base_url, data, _drop_required(field))
    assert "Response violates schema" in found
    assert field in found
