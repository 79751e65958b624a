"""Developer apps for the Webhooks API tests: an app, its key, a URL helper."""

from __future__ import annotations

from dataclasses import dataclass

from hubgraph.services.access import oauth
from hubgraph.services.context import Services


@dataclass(frozen=True)
class DeveloperApp:
    app_id: int
    api_key: str
    client_secret: str

    def url(self, path: str = "", api_key: str | None = None) -> str:
        key = self.api_key if api_key is None else api_key
        return f"/webhooks/v3/{self.app_id}{path}?hapikey={key}"


def new_developer_app(services: Services) -> DeveloperApp:
    created = oauth.create_app(services, "webhooks test app", ["https://app.example.com/cb"])
    assert created.developer_api_key is not None
    return DeveloperApp(created.app_id, created.developer_api_key, created.client_secret)
