"""Contract fuzzing with HubSpot's own OpenAPI specs (schemathesis) against a real server.

Every operation of the specs that the app routes is fuzzed, valid and invalid inputs
alike: no 5xx, and every answer uses one of the spec's status codes, its content type and
its response schema (the spec's ``default`` response is HubSpot's error envelope). The
operations are picked by matching the specs against ``app.routes``, so a route added on
another branch is fuzzed here without an edit. Known spec-vs-server differences are
patched in ONE place: ``routes.KNOWN_SPEC_DIFFERENCES``.

Bounded for CI; a longer run is one command:

    HUBGRAPH_FUZZ_EXAMPLES=500 .venv/bin/python -m pytest tests/hardening/test_contract.py -n 2
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.testing import ServerThread
from tests.support.live import LivePortal
from tests.support.routes import (
    SPEC_FILES,
    implemented_spec,
    specs_available,
    specs_missing_reason,
)

MAX_EXAMPLES = int(os.environ.get("HUBGRAPH_FUZZ_EXAMPLES", "8"))


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
        return [
            pytest.param(
                None,
                marks=pytest.mark.skip(reason=str(specs_missing_reason())),
                id="specs-missing",
            )
        ]
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


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("key", _operations())
def test_operation_keeps_the_contract(
    key: tuple[str, str, str],
    mode: GenerationMode,
    live_server: ServerThread,
    live_portal: LivePortal,
) -> None:
    spec_name, method, path = key
    operation = _schema(spec_name)[path][method]
    live_portal.create_records("contacts", 2)
    live_portal.create_records("companies", 2)
    session = requests.Session()
    session.headers.update(live_portal.headers)

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, mode))
    def exercise(case: Any) -> None:
        # The generated case may carry its own Authorization; the portal's token wins.
        case.headers = {
            k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"
        }
        case.call_and_validate(
            base_url=live_server.base_url,
            session=session,
            headers=live_portal.headers,
            checks=CHECKS,
            timeout=30,
        )

    try:
        exercise()
    except Unsatisfiable:
        # Only strings in path parameters and no body: nothing invalid can be expressed.
        assert mode is GenerationMode.NEGATIVE
        pytest.skip("the spec leaves no room for invalid input on this operation")
    finally:
        session.close()
