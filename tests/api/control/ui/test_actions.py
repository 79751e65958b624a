"""Reset, snapshot download and restore from the UI: CSRF, confirmation, and the effect."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from hubgraph.api.control.ui.csrf import COOKIE
from tests.support.portals import Portal
from tests.support.ui import seed_ui_scenario

UI = "/_hubgraph/ui"


@pytest.fixture
def browser(client: TestClient) -> TestClient:
    """The session's client with its cookies cleared, as a fresh browser would be."""
    client.cookies.clear()
    return client


def form_token(browser: TestClient, portal_id: int) -> str:
    page = browser.get(f"{UI}/portals/{portal_id}/actions")
    assert page.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found
    assert browser.cookies.get(COOKIE) == found.group(1)
    return found.group(1)


def records(portal: Portal) -> int:
    response = portal.get("/crm/v3/objects/contacts")
    assert response.status_code == 200
    return len(response.json()["results"])


def test_reset_needs_the_token_and_the_typed_portal_id(browser: TestClient, portal: Portal) -> None:
    seed_ui_scenario(portal)
    token = form_token(browser, portal.id)
    reset = f"{UI}/portals/{portal.id}/reset"
    form = {"csrf": token, "confirm": str(portal.id)}

    assert browser.post(reset, data={**form, "csrf": "x" * 43}).status_code == 403
    assert browser.post(reset, data={**form, "confirm": "1"}).status_code == 400
    cross_site = browser.post(reset, data=form, headers={"Origin": "http://evil.test"})
    assert cross_site.status_code == 403
    # Refused before the CSRF check: the control plane's guard trusts no other site's
    # Origin without the admin token (issue 12).
    assert "sent by another site" in cross_site.text
    assert records(portal) == 2

    done = browser.post(reset, data=form, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"{UI}/portals/{portal.id}/actions?done=reset"
    assert records(portal) == 0
    assert "The portal was reset" in browser.get(done.headers["location"]).text


def test_a_form_without_the_cookie_is_refused(browser: TestClient, portal: Portal) -> None:
    token = form_token(browser, portal.id)
    browser.cookies.clear()
    response = browser.post(
        f"{UI}/portals/{portal.id}/reset", data={"csrf": token, "confirm": str(portal.id)}
    )
    assert response.status_code == 403


def test_snapshot_download_then_restore_round_trips(browser: TestClient, portal: Portal) -> None:
    seed_ui_scenario(portal)
    download = browser.get(f"{UI}/portals/{portal.id}/snapshot.json")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    snapshot = download.content
    assert download.json()["format"] == "hubgraph-snapshot"

    token = form_token(browser, portal.id)
    form = {"csrf": token, "confirm": str(portal.id)}
    assert browser.post(f"{UI}/portals/{portal.id}/reset", data=form).status_code == 200
    assert records(portal) == 0

    restore = f"{UI}/portals/{portal.id}/restore"
    headers = {"Content-Type": "application/json", "X-Hubgraph-Confirm": str(portal.id)}
    refused = browser.post(restore, content=snapshot, headers=headers)
    assert refused.status_code == 403
    assert refused.json()["category"] == "CSRF_CHECK_FAILED"
    not_json = browser.post(restore, content=b"{", headers={**headers, "X-Hubgraph-CSRF": token})
    assert not_json.status_code == 400
    restored = browser.post(
        restore, content=snapshot, headers={**headers, "X-Hubgraph-CSRF": token}
    )
    assert restored.status_code == 200, restored.text
    assert restored.json()["redirect"] == f"{UI}/portals/{portal.id}/actions?done=restored"
    assert records(portal) == 2
