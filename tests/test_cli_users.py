"""``hubgraph user create`` / ``user list``: portal users who may sign in to the consent page."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from hubgraph.cli import app as cli
from hubgraph.services.access import portals, users
from hubgraph.services.context import Services
from hubgraph.store.portal_users import portal_users

runner = CliRunner()
PASSWORD = "a long enough password"


def test_user_create_stores_a_scrypt_hash_and_the_user_can_sign_in(
    services: Services, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBGRAPH_DATABASE_URL", database_url)
    portal_id = portals.create_portal(services, "cli users")
    email = f"cli-{portal_id}@example.com"
    created = runner.invoke(
        cli,
        ["user", "create", "--portal", str(portal_id), "--email", email, "--first-name", "Grace"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert created.exit_code == 0, created.output
    user_id = int(created.output.strip().splitlines()[-1])

    with services.database.read() as conn:
        [stored] = conn.execute(
            select(portal_users.c.password_hash).where(portal_users.c.user_id == user_id)
        ).scalars()
    assert stored.startswith("scrypt$32768$8$1$")
    assert PASSWORD not in stored

    listed = runner.invoke(cli, ["user", "list", "--portal", str(portal_id)])
    assert listed.exit_code == 0, listed.output
    assert f"{user_id}\t{email}\tGrace" in listed.output
    assert [u.user_id for u in users.list_users(services, portal_id)] == [user_id]

    signed = users.sign_in(services, email, PASSWORD, "client", "https://x.example/cb")
    assert signed is not None
    assert signed.portals == [(portal_id, "cli users")]


def test_user_create_refuses_weak_passwords_unknown_portals_and_duplicates(
    services: Services, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBGRAPH_DATABASE_URL", database_url)
    monkeypatch.setenv("HUBGRAPH_USER_PASSWORD", "short")
    portal_id = portals.create_portal(services, "cli users")
    email = f"weak-{portal_id}@example.com"
    weak = runner.invoke(cli, ["user", "create", "--portal", str(portal_id), "--email", email])
    assert weak.exit_code == 2
    monkeypatch.setenv("HUBGRAPH_USER_PASSWORD", PASSWORD)
    unknown = runner.invoke(cli, ["user", "create", "--portal", "1", "--email", email])
    assert unknown.exit_code == 1
    first = runner.invoke(cli, ["user", "create", "--portal", str(portal_id), "--email", email])
    assert first.exit_code == 0, first.output
    again = runner.invoke(cli, ["user", "create", "--portal", str(portal_id), "--email", email])
    assert again.exit_code == 1
