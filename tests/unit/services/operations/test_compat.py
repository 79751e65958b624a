"""Coverage of HubSpot's specs: matching routes to operations, and no specs at all."""

from __future__ import annotations

import json
from pathlib import Path

from hubgraph.domain.specs import packaged_specs_dir
from hubgraph.services.operations import compat

ROUTES = [
    ("POST", "/crm/v3/objects/{objectType}"),
    ("GET", "/crm/v4/objects/{fromObjectType}/{id}/associations/{to}"),
    ("GET", "/_hubgraph/health"),
]


def write_spec(directory: Path) -> Path:
    spec = {
        "paths": {
            "/crm/v3/objects/{objectType}": {"post": {"operationId": "create"}, "get": {}},
            "/crm/v3/objects/{objectType}/{objectId}": {"delete": {}, "parameters": []},
        }
    }
    (directory / "crm-objects-v3.json").write_text(json.dumps(spec))
    return directory


def test_routes_match_operations_whatever_their_parameter_names(tmp_path: Path) -> None:
    result = compat.coverage(ROUTES, write_spec(tmp_path))
    assert [(o.method, o.path) for o in result.served] == [("POST", "/crm/v3/objects/{objectType}")]
    assert {(o.method, o.path) for o in result.missing} == {
        ("GET", "/crm/v3/objects/{objectType}"),
        ("DELETE", "/crm/v3/objects/{objectType}/{objectId}"),
    }
    assert result.extra == [("GET", "/crm/v4/objects/{}/{}/associations/{}")]
    table = compat.markdown_table(result)
    assert table.startswith("1 of 3 operations in HubSpot's specs are served.")
    assert "| crm-objects-v3 | POST | `/crm/v3/objects/{objectType}` | yes |" in table


def test_without_specs_the_coverage_says_so(tmp_path: Path) -> None:
    assert compat.find_specs_dir(str(tmp_path / "nowhere")) is None
    assert compat.find_specs_dir(str(tmp_path)) is None  # a folder, but no spec in it
    result = compat.coverage(ROUTES, None)
    assert result.as_json()["specsFound"] is False
    assert result.as_json()["operations"] == []
    assert "No HubSpot specs" in compat.markdown_table(result)


def test_a_configured_directory_wins(tmp_path: Path) -> None:
    assert compat.find_specs_dir(str(write_spec(tmp_path))) == tmp_path


def test_without_a_configured_directory_the_packaged_specs_are_used() -> None:
    assert compat.find_specs_dir() == compat.find_specs_dir("") == packaged_specs_dir()
    result = compat.coverage(ROUTES, compat.find_specs_dir())
    assert result.as_json()["specsFound"] is True
    assert {o.spec for o in result.missing} >= {"crm-associations-v4", "crm-objects-v3"}
