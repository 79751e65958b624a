"""The official SDK's webhooks API, with a developer key, against a real server."""

from __future__ import annotations

import pytest
from hubspot import Client
from hubspot.webhooks import (
    BatchInputSubscriptionBatchUpdateRequest,
    SettingsChangeRequest,
    SubscriptionBatchUpdateRequest,
    SubscriptionCreateRequest,
    SubscriptionPatchRequest,
    ThrottlingSettings,
)
from hubspot.webhooks.exceptions import ApiException

from hubgraph.services.context import Services
from hubgraph.testing import ServerThread
from tests.support.webhooks import new_developer_app


def test_settings_and_subscriptions_round_trip(server: ServerThread, services: Services) -> None:
    app = new_developer_app(services)
    sdk = Client.create(api_key=app.api_key, host=server.base_url)
    hooks = sdk.webhooks
    settings = hooks.settings_api.configure(
        app.app_id,
        SettingsChangeRequest(
            target_url="https://example.com/hooks",
            throttling=ThrottlingSettings(max_concurrent_requests=10),
        ),
    )
    assert settings.target_url == "https://example.com/hooks"
    assert hooks.settings_api.get_all(app.app_id).throttling.max_concurrent_requests == 10
    made = hooks.subscriptions_api.create(
        app.app_id,
        SubscriptionCreateRequest(
            event_type="contact.propertyChange", property_name="email", active=True
        ),
    )
    assert made.property_name == "email"
    assert made.active is True
    listed = hooks.subscriptions_api.get_all(app.app_id).results
    assert [s.id for s in listed] == [made.id]
    # the SDK takes the subscription id first
    paused = hooks.subscriptions_api.update(
        int(made.id), app.app_id, SubscriptionPatchRequest(active=False)
    )
    assert paused.active is False
    batch = hooks.subscriptions_api.update_batch(
        app.app_id,
        BatchInputSubscriptionBatchUpdateRequest(
            inputs=[SubscriptionBatchUpdateRequest(id=int(made.id), active=True)]
        ),
    )
    assert batch.results[0].active is True
    hooks.subscriptions_api.archive(int(made.id), app.app_id)
    with pytest.raises(ApiException) as gone:
        hooks.subscriptions_api.get_by_id(int(made.id), app.app_id)
    assert gone.value.status == 404
    hooks.settings_api.clear(app.app_id)
