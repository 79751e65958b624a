"""The control plane is closed unless deliberately opened (issue 12, finding 1).

Each test is an attack that worked on main before: a same-host proxy that adds a header
other than X-Forwarded-For, a forged left-most X-Forwarded-For, a web page in a local
browser (cross-site POST, text/plain body), DNS rebinding (a foreign Host), and a server
bound to every interface without an admin token. Real server, real sockets, both databases.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from typing import Any

import httpx2 as httpx
import pytest
from typer.testing import CliRunner

from hubgraph import cli
from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.services.context import Services
from hubgraph.testing import ServerThread
from tests.support.live import HEALTH, LivePortal, assert_envelope, make_live_portal

PORTALS = "/_hubgraph/portals"
JSON = {"Content-Type": "application/json"}

PROXY_HEADERS = [
    {"X-Forwarded-For": "203.0.113.9"},
    {"X-Forwarded-For": "127.0.0.1"},
    {"X-Real-IP": "127.0.0.1"},
    {"Forwarded": "for=127.0.0.1"},
    {"Forwarded": "for=203.0.113.9;proto=https"},
    {"X-Forwarded-Host": "127.0.0.1"},
    {"X-Forwarded-Proto": "https"},
    {"Via": "1.1 proxy"},
    {"True-Client-IP": "127.0.0.1"},
    {"X-Client-IP": "127.0.0.1"},
    {"CF-Connecting-IP": "127.0.0.1"},
]


def _post_portal(base_url: str, headers: dict[str, str], body: bytes = b"{}") -> httpx.Response:
    with httpx.Client(base_url=base_url, timeout=30) as http:
        return http.post(PORTALS, content=body, headers={**JSON, **headers})


def test_a_plain_local_request_still_creates_a_portal(live_server: ServerThread) -> None:
    created = _post_portal(live_server.base_url, {})
    assert created.status_code == 201, created.text
    assert created.json()["token"].startswith("pat-")


@pytest.mark.parametrize(
    "proxy", PROXY_HEADERS, ids=lambda h: "-".join(f"{k}={v}" for k, v in h.items())
)
def test_a_request_relayed_by_a_proxy_is_not_a_local_developer(
    proxy: dict[str, str], live_server: ServerThread
) -> None:
    refused = _post_portal(live_server.base_url, proxy)
    body = assert_envelope(refused, 403)
    assert "HUBGRAPH_ADMIN_TOKEN" in body["message"]
    assert "token" not in refused.json()


@pytest.fixture(scope="module")
def trusting_proxy_server(settings: Settings, services: Services) -> Iterator[ServerThread]:
    """A server told to trust every proxy (``--forwarded-allow-ips '*'``, common in containers)."""
    app = create_app(settings, services)
    with ServerThread(app, proxy_headers=True, forwarded_allow_ips="*") as running:
        yield running


def test_a_forged_left_most_forwarded_for_is_not_trusted(
    trusting_proxy_server: ServerThread,
) -> None:
    # The client wrote the left-most entry; the proxy appended the real peer.
    refused = _post_portal(
        trusting_proxy_server.base_url, {"X-Forwarded-For": "127.0.0.1, 203.0.113.9"}
    )
    assert_envelope(refused, 403)
    forged_alone = _post_portal(trusting_proxy_server.base_url, {"X-Forwarded-For": "127.0.0.1"})
    assert_envelope(forged_alone, 403)


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:80", "192.168.1.20:8080", "localhost.evil.example"]
)
def test_a_foreign_host_name_is_refused_dns_rebinding(
    host: str, live_server: ServerThread, live_portal: LivePortal
) -> None:
    with httpx.Client(base_url=live_server.base_url, timeout=30) as http:
        snapshot = http.get(f"{PORTALS}/{live_portal.id}/snapshot", headers={"Host": host})
    assert_envelope(snapshot, 403)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "app.localhost", "127.0.0.2"])
def test_loopback_host_names_are_local(
    host: str, live_server: ServerThread, live_portal: LivePortal
) -> None:
    with httpx.Client(base_url=live_server.base_url, timeout=30) as http:
        port = live_server.port
        snapshot = http.get(
            f"{PORTALS}/{live_portal.id}/snapshot", headers={"Host": f"{host}:{port}"}
        )
    assert snapshot.status_code == 200, snapshot.text


CROSS_SITE = [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://localhost:3000"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
]


@pytest.mark.parametrize("headers", CROSS_SITE, ids=lambda h: next(iter(h.values())))
def test_a_web_page_in_a_local_browser_cannot_drive_the_control_plane(
    headers: dict[str, str], live_server: ServerThread, live_portal: LivePortal
) -> None:
    [contact] = live_portal.create_records("contacts", 1)
    with httpx.Client(base_url=live_server.base_url, timeout=30) as http:
        reset = http.post(f"{PORTALS}/{live_portal.id}/reset", headers=headers)
        assert_envelope(reset, 403)
        # The record is still there: the reset never ran.
        with live_portal.client() as api:
            assert api.get(f"/crm/v3/objects/contacts/{contact}").status_code == 200


def test_the_page_of_the_control_plane_itself_may_call_it(
    live_server: ServerThread, live_portal: LivePortal
) -> None:
    origin = live_server.base_url
    with httpx.Client(base_url=live_server.base_url, timeout=30) as http:
        same = http.get(
            f"{PORTALS}/{live_portal.id}/snapshot",
            headers={"Origin": origin, "Sec-Fetch-Site": "same-origin"},
        )
        typed = http.get(f"{PORTALS}/{live_portal.id}/snapshot", headers={"Sec-Fetch-Site": "none"})
    assert same.status_code == 200, same.text
    assert typed.status_code == 200, typed.text


SIMPLE_BODIES: list[tuple[str, dict[str, str], bytes]] = [
    ("text-plain", {"Content-Type": "text/plain"}, b"{}"),
    ("form", {"Content-Type": "application/x-www-form-urlencoded"}, b"a=b"),
    ("multipart", {"Content-Type": "multipart/form-data; boundary=x"}, b"--x--"),
    ("no-content-type", {}, b"{}"),
]


@pytest.mark.parametrize(
    ("kind", "headers", "body"), SIMPLE_BODIES, ids=lambda v: v if isinstance(v, str) else ""
)
@pytest.mark.parametrize("path", ["/reset", "/seed", ""])
def test_control_plane_writes_take_only_json(
    kind: str,
    headers: dict[str, str],
    body: bytes,
    path: str,
    live_server: ServerThread,
    live_portal: LivePortal,
) -> None:
    url = f"{PORTALS}/{live_portal.id}{path}" if path else PORTALS
    with httpx.Client(base_url=live_server.base_url, timeout=30) as http:
        refused = http.post(url, content=body, headers=headers)
        assert_envelope(refused, 415)
        assert http.get(HEALTH).status_code == 200


def test_faults_and_oauth_minting_take_only_json(live_server: ServerThread) -> None:
    with httpx.Client(base_url=live_server.base_url, timeout=30) as http:
        fault = http.post(
            "/_hubgraph/faults",
            content=b'{"route": "/crm/*", "status": 503}',
            headers={"Content-Type": "text/plain"},
        )
        assert_envelope(fault, 415)
        app = http.post(
            "/_hubgraph/oauth/apps",
            content=b'{"name": "x", "redirectUris": ["http://localhost/cb"]}',
            headers={"Content-Type": "text/plain"},
        )
        assert_envelope(app, 415)


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """``serve`` configures logging in-process onto CliRunner's stdout, which closes after
    the call: without this, later access-log lines in this worker hit a closed stream."""
    names = ("hubgraph", "uvicorn", "uvicorn.access", "uvicorn.error")
    saved = {
        name: (list(logger.handlers), logger.level, logger.propagate, logger.disabled)
        for name in names
        for logger in [logging.getLogger(name)]
    }
    yield
    for name, (handlers, level, propagate, disabled) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate
        logger.disabled = disabled


def test_serve_on_every_interface_without_an_admin_token_refuses_to_start(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    started: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: started.append(kw))
    monkeypatch.setenv("HUBGRAPH_DATABASE_URL", database_url)
    monkeypatch.delenv("HUBGRAPH_ADMIN_TOKEN", raising=False)
    result = CliRunner().invoke(
        cli.app, ["serve", "--host", "0.0.0.0", "--port", "1", "--database", database_url]
    )
    assert started == []
    assert result.exit_code != 0
    assert "HUBGRAPH_ADMIN_TOKEN" in result.output


def test_serve_on_every_interface_with_an_admin_token_starts(
    monkeypatch: pytest.MonkeyPatch, database_url: str, logging_restored: None
) -> None:
    started: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: started.append(kw))
    monkeypatch.setenv("HUBGRAPH_DATABASE_URL", database_url)
    monkeypatch.setenv("HUBGRAPH_ADMIN_TOKEN", "a-long-admin-token-for-tests")
    monkeypatch.setenv("HUBGRAPH_ACCESS_LOG", "false")  # serve sets it for its workers
    result = CliRunner().invoke(
        cli.app, ["serve", "--host", "0.0.0.0", "--port", "1", "--database", database_url]
    )
    assert result.exit_code == 0, result.output
    assert len(started) == 1


# -- the API docs, the OpenAPI document and the metrics are the control plane's too -------

ADMIN_TOKEN = "exposure-admin-token"
GUARDED_PAGES = ["/_hubgraph/docs", "/_hubgraph/openapi.json", "/_hubgraph/metrics"]


@pytest.fixture(scope="module")
def admin_server(settings: Settings, services: Services) -> Iterator[ServerThread]:
    """A server with HUBGRAPH_ADMIN_TOKEN set, as on a network (shares the test database)."""
    guarded = settings.model_copy(update={"admin_token": ADMIN_TOKEN})
    services = dataclasses.replace(services, settings=guarded)
    with ServerThread(create_app(guarded, services)) as running:
        yield running


@pytest.mark.parametrize("page", GUARDED_PAGES)
def test_docs_openapi_and_metrics_need_the_admin_token(
    page: str, admin_server: ServerThread, services: Services
) -> None:
    tenant = make_live_portal(services, admin_server.base_url)
    with httpx.Client(base_url=admin_server.base_url, timeout=30) as http:
        assert_envelope(http.get(page), 401)
        # A portal's own token is not the admin's.
        assert_envelope(http.get(page, headers=tenant.headers), 401)
        # How Prometheus scrapes (docs/reliability.md): the admin token as a bearer token.
        admitted = http.get(page, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        assert admitted.status_code == 200, admitted.text[:300]
        assert admitted.content
        # Health stays open: load balancers and orchestrators probe it without a token.
        assert http.get(HEALTH).status_code == 200


@pytest.mark.parametrize("page", GUARDED_PAGES)
def test_docs_openapi_and_metrics_are_a_local_developers_without_a_token(
    page: str, live_server: ServerThread
) -> None:
    with httpx.Client(base_url=live_server.base_url, timeout=30) as http:
        assert http.get(page).status_code == 200
        relayed = http.get(page, headers={"X-Forwarded-For": "203.0.113.9"})
        assert_envelope(relayed, 403)
        assert_envelope(http.get(page, headers={"Host": "hubgraph.example.com"}), 403)
        assert http.get(HEALTH, headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 200


def test_the_openapi_document_still_lists_the_api(live_server: ServerThread) -> None:
    with httpx.Client(base_url=live_server.base_url, timeout=30) as http:
        paths = http.get("/_hubgraph/openapi.json").json()["paths"]
        page = http.get("/_hubgraph/docs")
    assert "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read" in paths
    assert "/_hubgraph/openapi.json" in page.text
