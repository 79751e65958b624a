"""HubSpot's specs ship inside the package, so a clone or a pip install has them."""

from __future__ import annotations

import fnmatch
import json
import tomllib
from pathlib import Path

from hubgraph.domain.specs import missing_specs_reason, packaged_specs_dir, spec_files, specs_dir

PACKAGE_ROOT = Path(__file__).resolve().parents[3] / "src" / "hubgraph"
PYPROJECT = PACKAGE_ROOT.parents[1] / "pyproject.toml"
SERVED_SPECS = (
    "auth-oauth-v1.json",
    "crm-associations-2026-03.json",
    "crm-associations-schema-2026-03.json",
    "crm-associations-schema-v4.json",
    "crm-associations-v4.json",
    "crm-objects-v3.json",
)


def test_the_package_holds_hubspots_specs_for_every_api_it_serves() -> None:
    names = [p.name for p in spec_files(packaged_specs_dir())]
    assert set(SERVED_SPECS) <= set(names)
    for path in spec_files(packaged_specs_dir()):
        spec = json.loads(path.read_text())
        assert spec["openapi"].startswith("3."), path.name
        assert spec["paths"], path.name
    assert missing_specs_reason(packaged_specs_dir(), SERVED_SPECS) is None


def test_the_package_data_globs_in_pyproject_take_every_spec_into_a_wheel() -> None:
    globs = tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]["package-data"]["hubgraph"]
    for path in spec_files(packaged_specs_dir()):
        relative = path.relative_to(PACKAGE_ROOT).as_posix()
        assert any(fnmatch.fnmatch(relative, g) for g in globs), relative


def test_the_override_is_used_when_set_and_the_package_otherwise(tmp_path: Path) -> None:
    assert specs_dir(None) == specs_dir("") == packaged_specs_dir()
    assert specs_dir(str(tmp_path)) == tmp_path
    assert spec_files(tmp_path / "nowhere") == []


def test_a_bad_override_is_named_with_how_to_fix_it(tmp_path: Path) -> None:
    reason = missing_specs_reason(tmp_path, ("crm-objects-v3.json",))
    assert reason is not None
    assert f"HUBGRAPH_SPECS_DIR={tmp_path} holds no crm-objects-v3.json" in reason
    assert "unset it" in reason
