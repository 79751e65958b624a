"""``/oauth/authorize``: sign in, consent for one of the user's portals, auto-approval for CI.

Issue 12, finding 2: the page used to list every portal and approve for any ``portal_id``
without a user, a session or a CSRF token. Each attack of that finding is a test here.
"""

from __future__ import annotations

import dataclasses
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from hubgraph.app import create_app
from hubgraph.services.access import oauth, users
from hubgraph.services.context import Services
from tests.support.oauth import (
    PASSWORD,
    REDIRECT_URI,
    approve_in_browser,
    exchange_code,
    hidden_field,
)
from tests.support.portals import Portal


@dataclasses.dataclass(frozen=True)
class User:
    id: int
    email: str


@pytest.fixture
def user(services: Services, portal: Portal) -> User:
    email = f"user-{uuid.uuid4().hex[:8]}@example.com"
    row = users.create_user(services, portal.id, email, PASSWORD, "Ada", "Lovelace")
    return User(row.user_id, email)


def authorize_params(app: oauth.AppCredentials, **extra: str) -> dict[str, str]:
    return {"client_id": app.client_id, "redirect_uri": REDIRECT_URI, "state": "xyz"} | extra


def sign_in(
    client: TestClient, app: oauth.AppCredentials, email: str, password: str = PASSWORD
) -> tuple[str, str]:
    """The consent page after signing in, and the CSRF token the browser holds."""
    page = client.get("/oauth/authorize", params=authorize_params(app))
    csrf = hidden_field(page.text, "csrf_token")
    form = authorize_params(app, step="sign_in", csrf_token=csrf, email=email, password=password)
    return client.post("/oauth/authorize", data=form).text, csrf


def test_the_page_asks_for_a_sign_in_and_lists_no_portal(
    client: TestClient, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    response = client.get(
        "/oauth/authorize",
        params=authorize_params(oauth_app, scope="crm.objects.contacts.read"),
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "crm.objects.contacts.read" in response.text
    assert 'type="password"' in response.text
    assert "<option" not in response.text
    assert str(portal.id) not in response.text
    cookie = response.headers["set-cookie"]
    assert "hubgraph_csrf=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert hidden_field(response.text, "csrf_token") in cookie
    assert hidden_field(response.text, "state") == "xyz"


def test_signing_in_shows_only_the_users_portals(
    client: TestClient,
    services: Services,
    portal: Portal,
    other_portal: Portal,
    user: User,
    oauth_app: oauth.AppCredentials,
) -> None:
    page, _csrf = sign_in(client, oauth_app, user.email)
    assert f'<option value="{portal.id}">' in page
    assert f'value="{other_portal.id}"' not in page
    # The same person added to the other portal sees both, under one user id.
    again = users.create_user(services, other_portal.id, user.email, PASSWORD)
    assert again.user_id == user.id
    page, _csrf = sign_in(client, oauth_app, user.email.upper())
    assert f'value="{other_portal.id}"' in page


def test_a_wrong_password_or_unknown_user_gets_no_portals(
    client: TestClient, user: User, oauth_app: oauth.AppCredentials
) -> None:
    for email, password in ((user.email, "wrong password"), ("nobody@example.com", PASSWORD)):
        page, _csrf = sign_in(client, oauth_app, email, password)
        assert "Wrong e-mail address or password" in page
        assert "<option" not in page
        assert 'name="ticket"' not in page


def test_the_full_flow_gives_a_code_for_the_signed_in_user(
    client: TestClient, portal: Portal, user: User, oauth_app: oauth.AppCredentials
) -> None:
    code = approve_in_browser(client, oauth_app.client_id, portal.id, user.email)
    tokens = exchange_code(client, oauth_app, code)
    assert tokens["hub_id"] == portal.id
    assert tokens["user_id"] == user.id


def test_approving_without_a_sign_in_or_csrf_token_gives_no_code(
    client: TestClient, portal: Portal, user: User, oauth_app: oauth.AppCredentials
) -> None:
    """The old attack: any app owner POSTs portal_id + decision=approve for any portal."""
    bare = authorize_params(oauth_app, portal_id=str(portal.id), decision="approve")
    refused = client.post("/oauth/authorize", data=bare, follow_redirects=False)
    assert refused.status_code == 403
    assert "location" not in refused.headers
    # With the CSRF token of a page the attacker loaded themselves, but no sign-in:
    page = client.get("/oauth/authorize", params=authorize_params(oauth_app))
    csrf = hidden_field(page.text, "csrf_token")
    for ticket in ("", f"{user.id}.9999999999.{'0' * 64}", "garbage"):
        forged = client.post(
            "/oauth/authorize",
            data=bare | {"csrf_token": csrf, "ticket": ticket},
            follow_redirects=False,
        )
        assert forged.status_code == 403
        assert "location" not in forged.headers


def test_a_cross_site_post_without_the_cookie_is_refused(
    services: Services,
    client: TestClient,
    portal: Portal,
    user: User,
    oauth_app: oauth.AppCredentials,
) -> None:
    page, csrf = sign_in(client, oauth_app, user.email)
    ticket = hidden_field(page, "ticket")
    form = authorize_params(
        oauth_app, portal_id=str(portal.id), decision="approve", csrf_token=csrf, ticket=ticket
    )
    # Another site's form: the browser sends no SameSite=Strict cookie with it.
    with TestClient(create_app(services.settings, services)) as other_site:
        refused = other_site.post("/oauth/authorize", data=form, follow_redirects=False)
    assert refused.status_code == 403


def test_approving_for_a_portal_the_user_does_not_belong_to_fails(
    client: TestClient,
    portal: Portal,
    other_portal: Portal,
    user: User,
    oauth_app: oauth.AppCredentials,
) -> None:
    page, csrf = sign_in(client, oauth_app, user.email)
    form = authorize_params(
        oauth_app,
        portal_id=str(other_portal.id),
        decision="approve",
        csrf_token=csrf,
        ticket=hidden_field(page, "ticket"),
    )
    refused = client.post("/oauth/authorize", data=form, follow_redirects=False)
    assert refused.status_code == 403
    assert "not a user of that account" in refused.text
    assert "location" not in refused.headers


def test_a_ticket_is_bound_to_its_app(
    client: TestClient,
    services: Services,
    portal: Portal,
    user: User,
    oauth_app: oauth.AppCredentials,
) -> None:
    other_app = oauth.create_app(services, "Other app", [REDIRECT_URI])
    page, csrf = sign_in(client, oauth_app, user.email)
    form = authorize_params(
        other_app,
        portal_id=str(portal.id),
        decision="approve",
        csrf_token=csrf,
        ticket=hidden_field(page, "ticket"),
    )
    assert client.post("/oauth/authorize", data=form, follow_redirects=False).status_code == 403


def test_denying_redirects_back_with_access_denied(
    client: TestClient, portal: Portal, user: User, oauth_app: oauth.AppCredentials
) -> None:
    _page, csrf = sign_in(client, oauth_app, user.email)
    form = authorize_params(oauth_app, decision="deny", csrf_token=csrf)
    response = client.post("/oauth/authorize", data=form, follow_redirects=False)
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["location"]).query) == {
        "error": ["access_denied"],
        "state": ["xyz"],
    }


def test_unknown_redirect_uri_is_an_error_page_not_a_redirect(
    client: TestClient, oauth_app: oauth.AppCredentials
) -> None:
    params = authorize_params(oauth_app) | {"redirect_uri": "https://evil.example.com/"}
    response = client.get("/oauth/authorize", params=params, follow_redirects=False)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "redirect_uri" in response.text


def test_auto_approve_redirects_at_once(
    services: Services, portal: Portal, oauth_app: oauth.AppCredentials
) -> None:
    """Test-only (docs/auth.md): CI runs the browser-less flow for one configured portal."""
    settings = services.settings.model_copy(update={"oauth_auto_approve_portal": portal.id})
    with TestClient(create_app(settings, dataclasses.replace(services, settings=settings))) as c:
        response = c.get(
            "/oauth/authorize", params=authorize_params(oauth_app), follow_redirects=False
        )
        assert response.status_code == 302
        code = parse_qs(urlsplit(response.headers["location"]).query)["code"][0]
        assert exchange_code(c, oauth_app, code)["hub_id"] == portal.id
