"""The operator's commands: portal/token/app list, token revoke, scopes, one-line failures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from hubgraph.cli import app
from hubgraph.services.access import oauth, portals
from hubgraph.services.context import Services
from tests.support.portals import Portal

runner = CliRunner()
HUBGRAPH = str(Path(sys.executable).parent / "hubgraph")
MISSING_DATABASE = "hubgraph_no_such_database_for_tests"


def run(database_url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--database", database_url])
    return result.exit_code, result.stdout, result.stderr


def test_portal_list_shows_each_portal_and_its_tokens(
    database_url: str, services: Services, portal: Portal
) -> None:
    portals.create_token(services, portal.id)
    code, out, _ = run(database_url, "portal", "list")
    assert code == 0
    assert out.splitlines()[0].split() == ["PORTAL", "NAME", "TOKENS", "CREATED"]
    [row] = [line.split() for line in out.splitlines() if line.startswith(str(portal.id))]
    assert row[2] == "2"  # the fixture's token and this one


def test_a_token_is_listed_by_fingerprint_and_revoked_by_it(
    database_url: str, services: Services, client: TestClient, portal: Portal
) -> None:
    token = portals.create_token(services, portal.id)
    code, out, _ = run(database_url, "token", "list", "--portal", str(portal.id))
    assert code == 0
    assert token not in out
    fingerprints = [line.split()[0] for line in out.splitlines()[1:]]
    assert len(fingerprints) == 2
    mine = portals.hash_token(token)[:12]
    assert mine in fingerprints

    code, out, _ = run(database_url, "token", "revoke", mine)
    assert (code, out.strip()) == (0, f"revoked {mine}")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/crm/v3/objects/contacts", headers=headers).status_code == 401
    assert portal.get("/crm/v3/objects/contacts").status_code == 200  # the other one works

    code, _, err = run(database_url, "token", "revoke", mine)
    assert code == 1
    assert f"no token with fingerprint '{mine}'" in err


def test_a_token_can_be_revoked_by_itself(
    database_url: str, services: Services, portal: Portal
) -> None:
    token = portals.create_token(services, portal.id)
    code, out, _ = run(database_url, "token", "revoke", token)
    assert (code, out.strip()) == (0, f"revoked {portals.hash_token(token)[:12]}")


def test_app_list_shows_apps_without_secrets(database_url: str, services: Services) -> None:
    created = oauth.create_app(services, "Listed app", ["https://example.com/cb"])
    code, out, _ = run(database_url, "app", "list")
    assert code == 0
    [row] = [line for line in out.splitlines() if created.client_id in line]
    assert "Listed app" in row
    assert "https://example.com/cb" in row
    assert created.client_secret not in out


def test_unknown_scopes_are_refused_with_the_nearest_real_ones(
    database_url: str, portal: Portal, client: TestClient
) -> None:
    code, out, err = run(
        database_url,
        "token",
        "create",
        "--portal",
        str(portal.id),
        "--scope",
        "crm.objects.contact.read",
    )
    assert (code, out) == (2, "")
    assert "unknown scope 'crm.objects.contact.read'; did you mean crm.objects.contacts.read" in err
    code, _, err = run(
        database_url,
        "app",
        "create",
        "--name",
        "x",
        "--redirect-uri",
        "https://e.com",
        "--scope",
        "nope",
    )
    assert code == 2
    assert "unknown scope 'nope'" in err
    response = client.post("/_hubgraph/portals", json={"scopes": ["crm.objects.deals.reed"]})
    assert response.status_code == 400
    assert "did you mean crm.objects.deals.read" in response.json()["message"]


def test_a_missing_postgresql_database_is_one_line_and_a_failure() -> None:
    url = f"postgresql://postgres@127.0.0.1:5432/{MISSING_DATABASE}"
    ran = subprocess.run(
        [HUBGRAPH, "portal", "list", "--database", url], capture_output=True, text=True, timeout=60
    )
    assert ran.returncode == 1
    assert ran.stdout == ""
    [line] = ran.stderr.splitlines()
    if "cannot reach PostgreSQL" not in line:  # without a PostgreSQL, that is the line
        assert line == (
            f'hubgraph: PostgreSQL at 127.0.0.1:5432 has no database "{MISSING_DATABASE}": '
            f"create it with createdb -h 127.0.0.1 -p 5432 -U postgres {MISSING_DATABASE}"
        )
    debug = subprocess.run(
        [HUBGRAPH, "--debug", "portal", "list", "--database", url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr or "StartupError" in debug.stderr


def test_an_unreachable_redis_stops_serve_with_one_line(tmp_path: Path) -> None:
    ran = subprocess.run(
        [HUBGRAPH, "serve", "--database", f"sqlite:///{tmp_path / 'h.db'}"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HUBGRAPH_REDIS_URL": "redis://127.0.0.1:1/0"},
    )
    assert ran.returncode == 1
    assert ran.stderr.strip().startswith("hubgraph: cannot reach Redis at 127.0.0.1:1 (")
    assert len(ran.stderr.strip().splitlines()) == 1
