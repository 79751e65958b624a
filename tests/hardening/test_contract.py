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
import traceback
from functools import cache
from typing import Any

import orjson
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

from hubgraph.api.associations_v4 import batch as v4_batch
from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.testing import ServerThread
from tests.support.fuzz_data import LiveData, steer_body, steer_path
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


def _live_data(live_portal: LivePortal) -> LiveData:
    """Two contacts and two companies, the first contact associated with both companies,
    so reads and batch reads of the live ids answer with real results."""
    data = LiveData(
        live_portal.create_records("contacts", 2), live_portal.create_records("companies", 2)
    )
    with live_portal.client() as http:
        pairs = [{"from": {"id": data.contacts[0]}, "to": {"id": c}} for c in data.companies]
        seeded = http.post(
            "/crm/v4/associations/contacts/companies/batch/associate/default",
            json={"inputs": pairs},
        )
        assert seeded.status_code == 200, seeded.text
    return data


def _fuzz(
    operation: Any, mode: GenerationMode, base_url: str, portal: LivePortal, tally: dict[str, int]
) -> None:
    """Fuzz one operation; raises on the first answer that breaks the contract."""
    data = _live_data(portal)
    session = requests.Session()
    session.headers.update(portal.headers)

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, mode), steer=st.integers(0, 3))
    def exercise(case: Any, steer: int) -> None:
        # The generated case may carry its own Authorization; the portal's token wins.
        case.headers = {
            k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"
        }
        if steer and mode is GenerationMode.POSITIVE:
            # Three cases in four name live records, so success bodies get checked too.
            case.path_parameters = steer_path(case.path_parameters, data)
            if isinstance(case.body, dict | list):
                case.body = steer_body(case.body, data)
        response = case.call(base_url=base_url, session=session, headers=portal.headers, timeout=30)
        tally["calls"] += 1
        tally["2xx"] += 200 <= response.status_code < 300
        case.validate_response(response, checks=CHECKS, headers=portal.headers)

    try:
        exercise()
    finally:
        session.close()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("key", _operations())
def test_operation_keeps_the_contract(
    key: tuple[str, str, str] | None,
    mode: GenerationMode,
    live_server: ServerThread,
    live_portal: LivePortal,
    record_property: Any,
) -> None:
    if key is None:
        pytest.fail(f"{specs_missing_reason()} (CI must run the contract tests)")
    spec_name, method, path = key
    operation = _schema(spec_name)[path][method]
    tally = {"calls": 0, "2xx": 0}
    try:
        _fuzz(operation, mode, live_server.base_url, live_portal, tally)
    except Unsatisfiable:
        # Only strings in path parameters and no body: nothing invalid can be expressed.
        assert mode is GenerationMode.NEGATIVE
        pytest.skip("the spec leaves no room for invalid input on this operation")
    finally:
        # Printed per operation at the end of the run (tests/hardening/conftest.py).
        record_property("fuzz", (f"{method} {path}", str(mode), tally["calls"], tally["2xx"]))


BATCH_READ = "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read"


@pytest.mark.skipif(not specs_available(), reason=str(specs_missing_reason()))
def test_a_broken_success_body_is_caught(
    live_server: ServerThread, live_portal: LivePortal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mutation the review made: ``toObjectId`` rendered as a string. Only a fuzzer that
    reaches real, non-empty results can see it (issue 12)."""
    render = v4_batch.public_association_multi_with_label

    def broken(result: Any) -> dict[str, Any]:
        body = render(result)
        to = body.get("to", [])
        if isinstance(to, orjson.Fragment):  # the targets come pre-rendered (performance)
            to = orjson.loads(orjson.dumps(to))
        body["to"] = [{**item, "toObjectId": str(item["toObjectId"])} for item in to]
        return body

    monkeypatch.setattr(v4_batch, "public_association_multi_with_label", broken)
    operation = _schema("crm-associations-v4.json")[BATCH_READ]["POST"]
    tally = {"calls": 0, "2xx": 0}
    with pytest.raises(BaseException, match=r"(?s).") as failure:  # grouped by hypothesis
        _fuzz(operation, GenerationMode.POSITIVE, live_server.base_url, live_portal, tally)
    found = "".join(traceback.format_exception(failure.value))
    assert "Response violates schema" in found
    assert "toObjectId" in found
    assert tally["2xx"] > 0
