"""What ``pip install '/path/to/hubgraph[sdk]'`` (or a git URL) installs: a wheel built from
this checkout holds HubSpot's specs and the reference data, and its ``sdk`` extra brings
what docs/testing.md uses (the SDK, pytest-xdist for ``-n auto``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from hubgraph.domain.specs import packaged_specs_dir, spec_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    # A copy, so the build leaves no build/ or egg-info in the checkout.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", str(source), "-w", out],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [built] = out.glob("hubgraph-*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_ships_hubspots_specs_and_reference_data(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for spec in spec_files(packaged_specs_dir()):
        assert f"hubgraph/domain/data/specs/{spec.name}" in names
    assert "hubgraph/domain/data/specs/README.md" in names
    assert {"hubgraph/domain/data/scopes.json", "hubgraph/domain/data/object_types.json"} <= names


def test_the_sdk_extra_brings_the_sdk_and_pytest_xdist(wheel: zipfile.ZipFile) -> None:
    [metadata_name] = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    metadata = Parser().parsestr(wheel.read(metadata_name).decode())
    sdk = [r.split(";")[0].strip() for r in metadata.get_all("Requires-Dist") or [] if "sdk" in r]
    assert {r.split("==")[0] for r in sdk} == {"hubspot-api-client", "pytest-xdist"}
    assert "sdk" in (metadata.get_all("Provides-Extra") or [])
