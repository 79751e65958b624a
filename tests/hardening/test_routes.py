"""The route-table / spec matching that makes new routes show up in the hardening tests."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from hubgraph.app import create_app
from hubgraph.config import Settings
from tests.support.routes import (
    Route,
    api_routes,
    implemented_spec,
    load_spec,
    shape,
    spec_operation,
    specs_available,
    specs_missing_reason,
)

pytestmark = pytest.mark.skipif(not specs_available(), reason=str(specs_missing_reason()))


def test_shape_erases_parameter_names() -> None:
    assert shape("/crm/v3/objects/{objectType}/{objectId}") == "/crm/v3/objects/{}/{}"


def test_the_app_route_table_includes_routers_and_our_own_routes() -> None:
    routes = {str(r) for r in api_routes(create_app(Settings(database_url="sqlite://")))}
    assert (
        "POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/associate/default"
        in routes
    )
    assert "GET /_hubgraph/health" in routes


def test_a_route_added_later_is_picked_up_under_either_schema_prefix() -> None:
    app = FastAPI()

    @app.get("/crm/v4/associations/{fromObjectType}/{toObjectType}/labels")
    def labels(fromObjectType: str, toObjectType: str) -> None:  # noqa: N803
        return None

    spec = implemented_spec("crm-associations-schema-v4.json", app)
    assert list(spec["paths"]) == ["/crm/v4/associations/{fromObjectType}/{toObjectType}/labels"]
    assert list(spec["paths"][next(iter(spec["paths"]))]) == ["get"]
    found = spec_operation(Route("GET", "/crm/v4/associations/{a}/{b}/labels"))
    assert found is not None
    assert "requestBody" not in found["operation"]


def test_known_differences_are_patched_before_any_check() -> None:
    schemas = load_spec("crm-associations-v4.json")["components"]["schemas"]
    assert (
        schemas["MultiAssociatedObjectWithLabel"]["properties"]["toObjectId"]["type"] == "integer"
    )
    assert schemas["LabelsBetweenObjectPair"]["properties"]["fromObjectId"]["type"] == "integer"
    assert schemas["StandardError"]["properties"]["subCategory"]["type"] == "string"
