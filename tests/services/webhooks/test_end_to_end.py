"""The issue's "Done when", first sentence, as a user does it, on both databases: an app
made with ``hubgraph app create``, configured through ``/webhooks/v3/{appId}/…`` with its
developer key (the official SDK), installed in a portal through an authorization code
exchanged at ``/oauth/v1/token`` (the SDK), receives signed events for a change made by
another client of the portal (its private-app token)."""

from __future__ import annotations

import httpx2 as httpx
import pytest
from hubspot import Client
from hubspot.crm.contacts import SimplePublicObjectInputForCreate
from hubspot.webhooks import (
    SettingsChangeRequest,
    SubscriptionCreateRequest,
    ThrottlingSettings,
)
from hubspot.webhooks.exceptions import ApiException
from typer.testing import CliRunner

from hubgraph.cli import app as cli
from hubgraph.testing.fixtures import HubgraphServer
from hubgraph.testing.webhooks import HubgraphWebhooks, WebhookReceiver
from tests.support.webhooks import assert_signed, by_type, sdk

REDIRECT_URI = "http://127.0.0.1/e2e/callback"


def test_app_created_by_the_cli_configured_with_its_key_installed_by_oauth(
    hub: HubgraphServer,
) -> None:
    made = CliRunner().invoke(
        cli,
        [
            "app",
            "create",
            "--name",
            "E2E sync",
            "--redirect-uri",
            REDIRECT_URI,
            "--database",
            hub.services.settings.database_url,
        ],
    )
    assert made.exit_code == 0, made.output
    printed = dict(line.split(": ", 1) for line in made.stdout.splitlines())
    app_id = int(printed["app_id"])
    portal = hub.new_portal()

    with WebhookReceiver() as receiver:
        developer = Client.create(api_key=printed["developer_api_key"], host=hub.base_url)
        developer.webhooks.settings_api.configure(
            app_id,
            SettingsChangeRequest(
                target_url=receiver.url,
                throttling=ThrottlingSettings(max_concurrent_requests=10),
            ),
        )
        for event_type in ("contact.creation", "company.creation"):
            developer.webhooks.subscriptions_api.create(
                app_id, SubscriptionCreateRequest(event_type=event_type, active=True)
            )
        # the portal's own token is refused on the developer API (reference §1.1)
        with pytest.raises(ApiException) as refused:
            Client.create(
                access_token=portal.token, host=hub.base_url
            ).webhooks.settings_api.get_all(app_id)
        assert refused.value.status == 401

        # install: a user approves (the control plane's code), the app exchanges the code;
        # only contacts are granted, so company events are not for this installation (§2.3)
        code = httpx.post(
            f"{hub.base_url}/_hubgraph/oauth/codes",
            json={
                "clientId": printed["client_id"],
                "portalId": portal.id,
                "redirectUri": REDIRECT_URI,
                "scope": "crm.objects.contacts.read",
            },
        )
        assert code.status_code == 201, code.text
        tokens = Client.create(host=hub.base_url).oauth.tokens_api.create(
            grant_type="authorization_code",
            code=code.json()["code"],
            redirect_uri=REDIRECT_URI,
            client_id=printed["client_id"],
            client_secret=printed["client_secret"],
        )
        assert tokens.refresh_token

        # changes by another client of the portal (its private-app token) are announced
        crm = sdk(portal).crm
        crm.companies.basic_api.create(SimplePublicObjectInputForCreate(properties={"name": "X"}))
        contact = crm.contacts.basic_api.create(
            SimplePublicObjectInputForCreate(properties={"firstname": "Installed"})
        )
        [event] = receiver.wait_for(1)
        assert event["subscriptionType"] == "contact.creation"
        assert (event["objectId"], event["portalId"], event["appId"]) == (
            int(contact.id),
            portal.id,
            app_id,
        )
        assert by_type(receiver.events, "company.creation") == []
        signed = HubgraphWebhooks(portal, receiver, app_id, printed["client_secret"])
        for request in receiver.requests:
            assert_signed(signed, request)
