"""``hubgraph app create``, ``hubgraph portal rate-limits`` and ``hubgraph faults``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hubgraph.app import create_app
from hubgraph.cli import app as cli
from hubgraph.config import Settings
from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.testing import ServerThread

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("HUBGRAPH_DATABASE_URL", url)
    return url


@pytest.fixture
def running(database: str) -> Iterator[tuple[ServerThread, int]]:
    services = Services.from_settings(Settings(database_url=database))
    portals.upgrade_database(services)
    portal_id = portals.create_portal(services)
    with ServerThread(create_app(services.settings, services)) as server:
        yield server, portal_id
    services.close()


def test_app_create_prints_client_id_and_secret(database: str) -> None:
    result = runner.invoke(
        cli,
        ["app", "create", "--name", "CRM sync", "--redirect-uri", "http://localhost/cb"],
    )
    assert result.exit_code == 0, result.output
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert set(lines) == {
        "app_id",
        "client_id",
        "client_secret",
        "developer_account_id",
        "developer_api_key",
    }
    assert lines["client_id"] != lines["client_secret"]


def test_portal_rate_limits_sets_and_clears_a_tier(
    running: tuple[ServerThread, int],
) -> None:
    _, portal_id = running
    result = runner.invoke(
        cli, ["portal", "rate-limits", "--portal", str(portal_id), "--tier", "enterprise"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"portal {portal_id}: 190 per 10 s, 1000000 a day"
    cleared = runner.invoke(cli, ["portal", "rate-limits", "--portal", str(portal_id)])
    assert cleared.stdout.strip() == f"portal {portal_id}: no rate limits"
    unknown = runner.invoke(
        cli, ["portal", "rate-limits", "--portal", str(portal_id), "--tier", "gold"]
    )
    assert unknown.exit_code == 1


def test_faults_add_list_clear_against_a_running_server(
    running: tuple[ServerThread, int],
) -> None:
    server, portal_id = running
    fault_options = ["--route", "/crm/*", "--status", "503", "--portal", str(portal_id)]
    added = runner.invoke(
        cli, ["faults", "add", "--url", server.base_url, *fault_options, "--count", "3"]
    )
    assert added.exit_code == 0, added.output
    fault = json.loads(added.stdout)
    assert (fault["status"], fault["portalId"], fault["count"]) == (503, portal_id, 3)
    listed = runner.invoke(cli, ["faults", "list", "--url", server.base_url])
    assert [f["id"] for f in json.loads(listed.stdout)["results"]] == [fault["id"]]
    cleared = runner.invoke(cli, ["faults", "clear", "--url", server.base_url])
    assert cleared.exit_code == 0
    listed = runner.invoke(cli, ["faults", "list", "--url", server.base_url])
    assert json.loads(listed.stdout) == {"results": []}
    refused = runner.invoke(
        cli, ["faults", "add", "--url", server.base_url, "--route", "/crm/*", "--status", "404"]
    )
    assert refused.exit_code == 1
