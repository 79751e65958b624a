"""``hubgraph owner create`` through the real command line entry point."""

from __future__ import annotations

from typer.testing import CliRunner

from hubgraph.cli import app
from tests.support.portals import Portal

runner = CliRunner()


def test_owner_create_prints_the_id_and_the_api_serves_it(
    portal: Portal, database_url: str
) -> None:
    made = runner.invoke(
        app,
        [
            "owner", "create", "--portal", str(portal.id), "--email", "cli@example.com",
            "--first-name", "Cli", "--team", "West", "--team", "East",
            "--database", database_url,
        ],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    owner_id = made.stdout.strip()
    owner = portal.get(f"/crm/v3/owners/{owner_id}").json()
    assert (owner["email"], owner["firstName"]) == ("cli@example.com", "Cli")
    assert [(t["name"], t["primary"]) for t in owner["teams"]] == [("West", True), ("East", False)]


def test_owner_create_refuses_a_taken_email(portal: Portal, database_url: str) -> None:
    args = ["owner", "create", "--portal", str(portal.id), "--email", "x@example.com"]
    assert runner.invoke(app, [*args, "--database", database_url]).exit_code == 0
    again = runner.invoke(app, [*args, "--database", database_url])
    assert again.exit_code == 1
    assert "already exists" in again.stderr
    unknown = runner.invoke(app, ["owner", "create", "--portal", "1", "--database", database_url])
    assert unknown.exit_code == 1
    assert "no portal 1" in unknown.stderr.lower()
