"""The requests page: a portal's recent API calls, their bodies bounded and redacted."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from hubgraph.services.access import oauth
from hubgraph.services.context import Services
from tests.support.oauth import REDIRECT_URI, exchange_code, mint_code
from tests.support.portals import Portal

UI = "/_hubgraph/ui"


def add_text_property(portal: Portal, name: str) -> None:
    """Records take only defined properties: a custom text one for the body under test."""
    made = portal.post(
        "/crm/v3/properties/contacts",
        json={
            "name": name,
            "label": name,
            "type": "string",
            "fieldType": "text",
            "groupName": "contactinformation",
        },
    )
    assert made.status_code == 201, made.text


def test_a_portals_requests_are_listed_newest_first_with_their_bodies(
    client: TestClient, portal: Portal, other_portal: Portal
) -> None:
    add_text_property(portal, "api_token")
    created = portal.post(
        "/crm/v3/objects/contacts",
        json={"properties": {"email": "log@example.com", "api_token": "do-not-show-me"}},
    )
    assert created.status_code == 201
    record_id = created.json()["id"]
    missing = portal.get("/crm/v3/objects/contacts/999999999")
    assert missing.status_code == 404
    other_portal.get("/crm/v3/objects/companies")

    page = client.get(f"{UI}/portals/{portal.id}/requests").text
    entries = re.findall(r'<details class="request" data-correlation-id="([^"]+)">', page)
    assert entries[:2] == [  # newest first; the property's creation came before
        missing.headers["x-hubspot-correlation-id"],
        created.headers["x-hubspot-correlation-id"],
    ]
    assert "/crm/v3/objects/contacts/999999999" in page
    assert 'class="status s4">404<' in page
    assert "private app" in page
    assert "log@example.com" in page  # the request body
    assert record_id in page  # the response body
    assert "do-not-show-me" not in page
    assert portal.token not in page
    assert "/crm/v3/objects/companies" not in page  # the other portal's call


def test_bodies_are_cut_at_the_limit(client: TestClient, portal: Portal) -> None:
    limit = client.app.state.request_log.body_limit  # type: ignore[attr-defined]
    long_value = "x" * (limit * 2)
    add_text_property(portal, "note")
    response = portal.post("/crm/v3/objects/contacts", json={"properties": {"note": long_value}})
    assert response.status_code == 201
    page = client.get(f"{UI}/portals/{portal.id}/requests").text
    assert "x" * limit not in page
    assert "x" * (limit - 40) in page


def test_the_control_plane_and_unauthenticated_calls_are_not_kept(
    client: TestClient, portal: Portal
) -> None:
    client.get("/crm/v3/objects/contacts", headers={"Authorization": "Bearer pat-na1-nope"})
    client.get(f"/_hubgraph/portals/{portal.id}/snapshot")
    page = client.get(f"{UI}/portals/{portal.id}/requests").text
    assert "No API requests for this portal" in page


def test_an_oauth_call_shows_its_app_and_no_token(
    client: TestClient, portal: Portal, services: Services
) -> None:
    app = oauth.create_app(services, "UI log app", [REDIRECT_URI])
    tokens = exchange_code(client, app, mint_code(client, app, portal.id))
    access_token = tokens["access_token"]
    response = client.get(
        "/crm/v3/objects/contacts", headers={"Authorization": f"Bearer {access_token}"}
    )
    assert response.status_code == 200
    page = client.get(f"{UI}/portals/{portal.id}/requests").text
    assert "OAuth (app " in page
    assert access_token not in page
    assert tokens["refresh_token"] not in page
    assert app.client_secret not in page


def test_secrets_in_query_strings_are_redacted(client: TestClient, portal: Portal) -> None:
    response = portal.get("/crm/v3/objects/contacts?limit=5&hapikey=query-secret-1")
    assert response.status_code == 200
    page = client.get(f"{UI}/portals/{portal.id}/requests").text
    assert "/crm/v3/objects/contacts?limit=5&amp;hapikey=[redacted]" in page
    assert "query-secret-1" not in page
