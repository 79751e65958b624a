"""Secrets: tokens are stored hashed, found by their hash, never logged, never echoed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import select, text

from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.store import portals as portal_store
from hubgraph.store.tables import metadata, tokens
from tests.support.live import HEALTH, assert_envelope
from tests.support.processes import ServerProcess

SEED = "/crm/v4/associations/contacts/companies/batch/associate/default"
TRACE_MARKERS = ("Traceback", 'File "', "sqlalchemy", "psycopg", "sqlite3", "hubgraph/")


def _everything_stored(services: Services, database_url: str) -> str:
    """Every row of every table as text, plus the raw SQLite files where there are some."""
    parts: list[str] = []
    with services.database.read() as conn:
        for table in metadata.sorted_tables:
            parts += [repr(tuple(row)) for row in conn.execute(select(table))]
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        for file in (path, path.with_name(path.name + "-wal")):
            if file.exists():
                parts.append(file.read_bytes().decode("latin-1"))
    return "\n".join(parts)


def test_tokens_are_stored_only_as_their_hash(
    fresh_services: Services, fresh_database_url: str
) -> None:
    portal_id = portals.create_portal(fresh_services)
    token = portals.create_token(fresh_services, portal_id)
    digest = hashlib.sha256(token.encode()).hexdigest()
    stored = _everything_stored(fresh_services, fresh_database_url)
    secret_part = token.rsplit("-", 5)[-5:]  # the random UUID, in any encoding of the token
    assert token not in stored
    assert "-".join(secret_part) not in stored
    assert digest in stored
    with fresh_services.database.read() as conn:
        assert conn.execute(select(tokens.c.token_hash)).scalars().all() == [digest]
        # Looked up by hash: the hash finds the portal, the token itself finds nothing.
        assert portal_store.find_token(conn, digest) is not None
        assert portal_store.find_token(conn, token) is None


def test_tokens_never_reach_the_log_or_an_answer_even_on_a_500(
    fresh_services: Services, fresh_database_url: str, tmp_path: Path
) -> None:
    portal_id = portals.create_portal(fresh_services)
    token = portals.create_token(fresh_services, portal_id)
    unused = portals.create_token(fresh_services, portal_id)
    answers: list[str] = []

    with ServerProcess(fresh_database_url, tmp_path / "server.log") as server:
        with httpx.Client(base_url=server.base_url, timeout=30) as http:
            ok = http.post(SEED, json={"inputs": []}, headers={"Authorization": f"Bearer {token}"})
            assert ok.status_code == 200
            for authorization in (
                f"Bearer {token}x",
                f"Basic {token}",
                f"{token}",
                f"Bearer {token[:-1]}",
                f"Bearer  {token} extra",
            ):
                denied = http.post(
                    SEED, json={"inputs": []}, headers={"Authorization": authorization}
                )
                assert_envelope(denied, 401)
                answers.append(denied.text)
            query = http.get(f"/crm/v3/objects/contacts?hapikey={token}&access_token={token}")
            assert_envelope(query, 401)
            answers.append(query.text)

            # Pull the tokens table from under the running server: the next lookup fails.
            with fresh_services.database.write() as conn:
                conn.execute(text("DROP TABLE tokens"))
            failed = http.post(
                SEED, json={"inputs": []}, headers={"Authorization": f"Bearer {unused}"}
            )
            body = assert_envelope(failed, 500)
            assert body["category"] == "INTERNAL_ERROR"
            answers.append(failed.text)
            assert http.get(HEALTH).status_code == 200
        log = server.log()

    assert "unhandled error" in log, "the 500 must have been logged, or this test proves nothing"
    # One line per 500: the correlation id and where it failed, no SQL and no parameters
    # (the failed lookup's parameter was the token's digest).
    [logged] = [line for line in log.splitlines() if "unhandled error" in line]
    assert f"correlationId={body['correlationId']}" in logged
    assert "FROM tokens" not in log  # no SQL (the temp folder's name may say "tokens")
    assert "SELECT" not in log
    assert "[parameters" not in log
    assert "Traceback" not in log
    for secret in (token, unused):
        assert secret not in log
        assert hashlib.sha256(secret.encode()).hexdigest() not in log
        assert all(secret not in answer for answer in answers)
    for answer in answers:
        assert not any(marker in answer for marker in TRACE_MARKERS), answer
