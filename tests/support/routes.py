"""The app's route table and HubSpot's specs, matched, so new routes are covered unaided.

Everything in tests/hardening that walks "every endpoint" starts here: a route added on
another branch shows up in ``api_routes(app)`` and, if HubSpot's spec has it, in
``implemented_spec(...)`` with no edit to these tests.
"""

from __future__ import annotations

import copy
import json
import os
import re
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from hubgraph.domain.specs import SPECS_DIR_VARIABLE, missing_specs_reason, specs_dir

# The specs ship inside the package; HUBGRAPH_SPECS_DIR points at another copy instead.
SPECS_DIR = specs_dir(os.environ.get(SPECS_DIR_VARIABLE))
SPEC_FILES = (
    "crm-associations-v4.json",
    "crm-associations-schema-v4.json",
    "crm-objects-v3.json",
    "crm-associations-2026-03.json",
    "crm-associations-schema-2026-03.json",
    "crm-owners-v3.json",
    "crm-pipelines-v3.json",
    "crm-owners-2026-03.json",
    "crm-pipelines-2026-03.json",
    "settings-users-v3.json",
    "auth-oauth-v1.json",
    "crm-properties-v3.json",
    "crm-schemas-v3.json",
    "webhooks-v3.json",
)
HTTP_METHODS = ("get", "post", "put", "patch", "delete")

# Reference §2: the schema API is served under both prefixes; the spec names only the first.
PREFIX_ALIASES = (("/crm/associations/v4/", "/crm/v4/associations/"),)

_PARAM = re.compile(r"\{[^}/]+\}")


def shape(path: str) -> str:
    """A path template with its parameter names erased: ``/a/{x}/b`` -> ``/a/{}/b``."""
    return _PARAM.sub("{}", path)


@dataclass(frozen=True)
class Route:
    method: str  # upper case
    path: str  # the app's template, e.g. /crm/v3/objects/{objectType}/{objectId}

    @property
    def params(self) -> list[str]:
        return [p.strip("{}") for p in _PARAM.findall(self.path)]

    @property
    def hubspot(self) -> bool:
        """A HubSpot API route (ours live under /_hubgraph/)."""
        return not self.path.startswith("/_hubgraph")

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def api_routes(app: FastAPI) -> list[Route]:
    """Every (method, path) the app serves, docs pages excluded.

    Read from the app's own OpenAPI document (FastAPI includes routers lazily, so
    ``app.routes`` holds router stubs), plus any route added to the app directly.
    """
    found: set[Route] = set()
    for path, item in app.openapi().get("paths", {}).items():
        found.update(Route(m.upper(), path) for m in item if m in HTTP_METHODS)
    for route in app.routes:
        if isinstance(route, APIRoute):
            found.update(Route(m, route.path) for m in route.methods - {"HEAD", "OPTIONS"})
    return sorted(found, key=str)


# -- specs -------------------------------------------------------------------------------


KNOWN_SPEC_DIFFERENCES = """\
Where HubSpot's real server knowingly differs from its own spec, the spec is patched
here, and only here, before any check runs (reference §12 and §5.2):

1. toObjectId / fromObjectId are JSON numbers on the real server (reference §1.13, §12.1:
   "the real server and the docs examples send numbers"); the spec says string.
2. StandardError.subCategory is a string on the real server (reference §5.2: "typed object
   in the spec, but real servers send a string").
3. AssociationSpecWithLabel.label is null for the unlabeled type (reference §1.1: "The
   unlabeled type always carries "label": null" [docs]); the spec says string. So is
   PublicAssociationDefinitionUserConfiguration.label, a limit's label (reference §2.2: "The
   docs example is a deal→contact (typeId 3, HUBSPOT_DEFINED) cap of 5 with `label` null").
   Found once the fuzzer read live limits (issue 12).
4. ReportCreationResponse.enqueueTime is an ISO date-time string: the spec's DateTime
   object would break the official Python SDK, which parses it with dateutil (reference
   §1.11, §12.8).
5. A record's property values are strings or null (objects reference: "always JSON strings
   (or null) in properties{}"): a requested property without a value is null. The spec's
   additionalProperties says string. Found once the fuzzer read live records (issue 12).
6. The OAuth endpoints answer errors as {"status": "BAD_…", "message", "correlationId",
   "error", "error_description"} without a category (reference §8.2); auth-oauth-v1.json's
   Error requires one.
"""

_NUMERIC_ID_FIELDS = {"toObjectId", "fromObjectId"}
_NULL_LABELS = {"AssociationSpecWithLabel", "PublicAssociationDefinitionUserConfiguration"}


def _patch_known_differences(spec: dict[str, Any]) -> None:
    if "/oauth/v1/token" in spec.get("paths", {}):
        error = spec.get("components", {}).get("schemas", {}).get("Error", {})
        error["required"] = [f for f in error.get("required", []) if f != "category"]
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        properties = schema.get("properties", {})
        for field in _NUMERIC_ID_FIELDS & properties.keys():
            properties[field] = {"type": "integer", "format": "int64"}
        if name == "StandardError" and "subCategory" in properties:
            properties["subCategory"] = {"type": "string"}
        if name in _NULL_LABELS and "label" in properties:
            properties["label"] = {"type": ["string", "null"]}
        if name == "ReportCreationResponse" and "enqueueTime" in properties:
            properties["enqueueTime"] = {"type": "string", "format": "date-time"}
        values = properties.get("properties", {})
        if name.startswith("SimplePublicObject") and values.get("additionalProperties"):
            values["additionalProperties"] = {"type": ["string", "null"]}


def specs_missing_reason() -> str | None:
    """Why the specs cannot be read, said so a user can fix it; None when they can."""
    return missing_specs_reason(SPECS_DIR, SPEC_FILES)


def specs_available() -> bool:
    return specs_missing_reason() is None


def load_spec(name: str) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads((SPECS_DIR / name).read_text())
    _patch_known_differences(spec)
    return spec


def _served_paths(spec_path: str, served: set[tuple[str, str]], method: str) -> list[str]:
    """The spec path and its prefix aliases that the app routes for ``method``."""
    candidates = [spec_path]
    for ours, theirs in PREFIX_ALIASES:
        if spec_path.startswith(ours):
            candidates.append(theirs + spec_path[len(ours) :])
    return [p for p in candidates if (method.upper(), shape(p)) in served]


def implemented_spec(name: str, app: FastAPI) -> dict[str, Any]:
    """``name``'s spec cut down to the operations the app serves (both prefixes where routed)."""
    spec = load_spec(name)
    served = {(r.method, shape(r.path)) for r in api_routes(app)}
    paths: dict[str, dict[str, Any]] = {}
    for spec_path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            for served_path in _served_paths(spec_path, served, method):
                op = copy.deepcopy(operation)
                # Path-level parameters, if any, travel with the operation.
                op["parameters"] = [*item.get("parameters", []), *op.get("parameters", [])]
                if served_path != spec_path:
                    op["operationId"] = f"{op.get('operationId', method)}-alias"
                paths.setdefault(served_path, {})[method] = op
    return {**spec, "paths": paths}


def spec_operation(app_route: Route) -> dict[str, Any] | None:
    """The spec's operation for one of the app's routes (any spec, either prefix), if any."""
    if not specs_available():
        return None
    wanted = shape(app_route.path)
    for name in SPEC_FILES:
        spec = load_spec(name)
        for spec_path, item in spec["paths"].items():
            operation = item.get(app_route.method.lower())
            if operation is None:
                continue
            paths = [spec_path] + [
                theirs + spec_path[len(ours) :]
                for ours, theirs in PREFIX_ALIASES
                if spec_path.startswith(ours)
            ]
            if wanted in {shape(p) for p in paths}:
                return {"operation": operation, "components": spec.get("components", {})}
    return None
