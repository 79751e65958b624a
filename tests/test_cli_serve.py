"""``hubgraph serve`` as a newcomer and an operator meet it: what it says, and that it works."""

from __future__ import annotations

import json
import logging
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from hubgraph import __version__
from hubgraph.app import create_app
from hubgraph.cli_serve import describe_database, hand_over_first_token
from hubgraph.config import Settings
from hubgraph.testing import ServeProcess

ROOT = Path(__file__).resolve().parents[1]
CORRELATION = "X-HubSpot-Correlation-Id"


def _snippet(output: str) -> str:
    after = output.split("Use it with HubSpot's SDK:\n", 1)[1]
    lines = re.match(r"\n*((?: {4}.*\n)+)", after)
    assert lines, output
    return textwrap.dedent(lines[1])


def _readme_snippet() -> str:
    readme = (ROOT / "README.md").read_text()
    return re.findall(r"```python runnable\n(from hubspot import Client\n.*?)```", readme, re.S)[0]


def test_first_start_says_where_it_serves_logs_requests_and_its_snippet_runs(
    tmp_path: Path,
) -> None:
    log = tmp_path / "serve.log"
    db = tmp_path / "hubgraph.db"
    with log.open("wb") as out, ServeProcess(f"sqlite:///{db}", output=out) as server:
        snippet = _snippet(log.read_text())
        ran = subprocess.run(
            [sys.executable, "-c", snippet], capture_output=True, text=True, timeout=60
        )
        unauthorized = httpx.get(f"{server.base_url}/crm/v3/objects/contacts?limit=1")
    output = log.read_text()
    assert ran.returncode == 0, ran.stderr
    assert "'type_id': 279" in ran.stdout  # contact to company, HubSpot's default type

    token = re.search(r'access_token="([^"]+)"', snippet)
    assert token
    as_in_readme = snippet.replace(f'"{token[1]}"', "TOKEN")
    as_in_readme = re.sub(r"http://127\.0\.0\.1:\d+", "http://127.0.0.1:8080", as_in_readme)
    assert as_in_readme == _readme_snippet()

    started = [line for line in output.splitlines() if "serving HubSpot's API" in line]
    assert len(started) == 1
    assert started[0].endswith(
        f"hubgraph {__version__} serving HubSpot's API on {server.base_url}  ·  "
        f"SQLite {db}  ·  1 worker"
    )
    cid = unauthorized.headers[CORRELATION]
    assert re.search(rf" GET /crm/v3/objects/contacts 401 \d+\.\dms {cid}$", output, re.M), output
    assert re.search(r" POST /crm/v3/objects/contacts 201 \d+\.\dms [0-9a-f-]{36}$", output, re.M)
    assert "limit=1" not in output  # no query strings: they can carry OAuth codes


def test_two_workers_log_json_and_add_up_their_metrics(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    url = f"sqlite:///{tmp_path / 'hubgraph.db'}"
    with (
        log.open("wb") as out,
        ServeProcess(url, workers=2, output=out, extra_args=("--log-format", "json")) as server,
    ):
        # a connection each, so the kernel spreads them over both workers
        answers = [httpx.get(f"{server.base_url}/_hubgraph/version") for _ in range(6)]
        scraped = [httpx.get(f"{server.base_url}/_hubgraph/metrics").text for _ in range(4)]
    version = 'hubgraph_http_requests_total{method="GET",route="/_hubgraph/version",status="200"}'
    counts = {
        line.split()[-1] for s in scraped for line in s.splitlines() if line.startswith(version)
    }
    assert counts == {"6.0"}  # every worker's requests, whichever worker answered the scrape
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    [started] = [line for line in lines if "serving HubSpot's API" in line["message"]]
    assert started["message"].endswith("2 workers")
    access = [line for line in lines if line["logger"] == "hubgraph.access"]
    assert {a["correlationId"] for a in access} >= {r.headers[CORRELATION] for r in answers}
    assert ("GET", "/_hubgraph/version", 200) in {
        (a["method"], a["path"], a["status"]) for a in access
    }
    assert all(isinstance(a["durationMs"], float) and a["time"] for a in access)


def test_no_access_log_means_no_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="hubgraph.access")
    for enabled in (True, False):
        app = create_app(Settings(database_url="sqlite://", access_log=enabled))
        with TestClient(app) as client:
            client.get("/_hubgraph/version")
    lines = [r.getMessage() for r in caplog.records if r.name == "hubgraph.access"]
    assert len(lines) == 1
    assert lines[0].startswith("GET /_hubgraph/version 200 ")


def test_tokens_in_introspection_paths_are_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="hubgraph.access")
    app = create_app(Settings(database_url="sqlite://", access_log=True))
    with TestClient(app) as client:
        client.get("/oauth/v1/access-tokens/secret-access-token")
        client.get("/oauth/v1/refresh-tokens/secret-refresh-token")
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "secret" not in logged
    assert "/oauth/v1/access-tokens/… " in logged


def test_the_first_token_goes_to_a_private_file_when_not_on_a_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "first.token"
    hand_over_first_token(10000001, "pat-na1-secret", "http://h:1", False, path)
    out = capsys.readouterr().out
    assert "pat-na1-secret" not in out
    assert str(path) in out
    assert path.read_text() == "pat-na1-secret\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_first_token_is_printed_on_a_terminal_or_when_asked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hand_over_first_token(10000001, "pat-na1-asked", "http://h:1", True, None)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    hand_over_first_token(10000001, "pat-na1-tty", "http://h:1", False, None)
    out = capsys.readouterr().out
    assert "Token: pat-na1-asked" in out
    assert "Token: pat-na1-tty" in out


def test_the_database_is_described_without_its_password() -> None:
    assert describe_database("sqlite:///./hubgraph.db") == "SQLite ./hubgraph.db"
    assert (
        describe_database("postgresql://app:s3cret@db.internal:6432/crm")
        == "PostgreSQL app@db.internal:6432/crm"
    )


def test_a_sqlite_worker_never_loads_postgresql_s_driver(tmp_path: Path) -> None:
    # Each spawned worker imports the CLI and the app; psycopg (with libpq) is ~10 MB of
    # RSS a SQLite worker has no use for (docs/performance.md, RSS per worker).
    code = (
        "import sys, hubgraph.cli, hubgraph.app\n"
        "app = hubgraph.app.create_app_from_env()\n"
        "print('psycopg' in sys.modules)"
    )
    env = {"HUBGRAPH_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False"
