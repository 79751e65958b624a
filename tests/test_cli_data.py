"""``hubgraph export | import | seed`` through the real command line entry point."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hubgraph.cli import app
from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.services.portability import snapshots
from tests.support.populate import populate
from tests.support.portals import Portal

runner = CliRunner()


def test_export_to_stdout_then_import_into_a_new_portal(
    portal: Portal, services: Services, database_url: str, tmp_path: Path
) -> None:
    populate(portal, services)
    exported = runner.invoke(
        app, ["export", "--portal", str(portal.id), "--database", database_url]
    )
    assert exported.exit_code == 0, exported.output
    summary = exported.stderr.splitlines()[-1].removeprefix("exported ").split(", ")
    counted = {part.split(" ")[1]: int(part.split(" ")[0]) for part in summary}
    assert {table: n for table, n in counted.items() if n} == {
        "objects": 5,
        "association_limits": 1,
        "association_types": 1,
        "associations": 8,
    }
    dump = tmp_path / "dump.jsonl"
    dump.write_bytes(exported.stdout_bytes)

    target = portals.create_portal(services, "copy")
    imported = runner.invoke(
        app, ["import", str(dump), "--portal", str(target), "--database", database_url]
    )
    assert imported.exit_code == 0, imported.output
    before = snapshots.take_snapshot(services, portal.id)
    after = snapshots.take_snapshot(services, target)
    assert after["tables"] == before["tables"]


def test_import_error_names_the_line_and_exits_1(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    target = portals.create_portal(services)
    dump = tmp_path / "dump.jsonl"
    dump.write_text('{"format": "hubgraph-export", "version": 1}\n{"table": "objects"}\n')
    result = runner.invoke(
        app, ["import", str(dump), "--portal", str(target), "--database", database_url, "-q"]
    )
    assert result.exit_code == 1
    assert 'error: line 2: expected {"table": …, "row": {…}}' in result.stderr


def test_import_csv_and_seed(
    portal: Portal, services: Services, database_url: str, tmp_path: Path
) -> None:
    fixture = tmp_path / "crm.yaml"
    fixture.write_text(
        "records:\n  contacts: [{ref: a}]\n  companies: [{ref: b, properties: {name: B}}]\n"
    )
    seeded = runner.invoke(
        app, ["seed", str(fixture), "--portal", str(portal.id), "--database", database_url]
    )
    assert seeded.exit_code == 0, seeded.output
    ids = {ref: r["id"] for ref, r in json.loads(seeded.stdout)["records"].items()}
    links = tmp_path / "links.csv"
    links.write_text(
        f"from_type,from_id,to_type,to_id,type\ncontacts,{ids['a']},companies,{ids['b']},\n"
    )
    result = runner.invoke(
        app, ["import", str(links), "--portal", str(portal.id), "--database", database_url]
    )
    assert result.exit_code == 0, result.output
    assert "imported 1 associations" in result.stderr
    rows = snapshots.take_snapshot(services, portal.id)["tables"]["associations"]
    assert len(rows) == 2


def test_unknown_portal(database_url: str) -> None:
    result = runner.invoke(app, ["export", "--portal", "1", "--database", database_url, "-q"])
    assert result.exit_code == 1
    assert "error: There is no portal 1" in result.stderr
