"""``scripts/compat-table`` (python -m hubgraph.compat_table): which specs it reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hubgraph import compat_table


def test_the_table_comes_from_the_packaged_specs_by_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("HUBGRAPH_SPECS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)  # nothing beside the working directory
    assert compat_table.main([]) == 0
    out = capsys.readouterr().out
    assert "operations in HubSpot's specs are served." in out.splitlines()[0]
    assert "| crm-associations-v4 | POST | `/crm/v4/associations/" in out


def test_hubgraph_specs_dir_overrides_the_packaged_specs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = {"paths": {"/crm/v3/objects/{objectType}": {"post": {}}}}
    (tmp_path / "only-one.json").write_text(json.dumps(spec))
    monkeypatch.setenv("HUBGRAPH_SPECS_DIR", str(tmp_path))
    assert compat_table.main([]) == 0
    assert capsys.readouterr().out.startswith("1 of 1 operations in HubSpot's specs are served.")
