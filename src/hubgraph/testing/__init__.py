"""hubgraph in test suites: a pytest plugin (``hubgraph.testing.plugin``) and its parts.

Importing this package is cheap: pytest loads the plugin in every session of every
project that installs hubgraph, so the server's parts are imported only when used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hubgraph.testing.fixtures import HubgraphPortal, HubgraphServer
    from hubgraph.testing.process import ServeProcess, healthy
    from hubgraph.testing.server import ServerThread, free_port
    from hubgraph.testing.webhooks import HubgraphWebhooks, WebhookReceiver

__all__ = [
    "HubgraphPortal",
    "HubgraphServer",
    "HubgraphWebhooks",
    "ServeProcess",
    "ServerThread",
    "WebhookReceiver",
    "free_port",
    "healthy",
]

_HOMES = {
    "HubgraphPortal": "hubgraph.testing.fixtures",
    "HubgraphServer": "hubgraph.testing.fixtures",
    "ServeProcess": "hubgraph.testing.process",
    "healthy": "hubgraph.testing.process",
    "ServerThread": "hubgraph.testing.server",
    "free_port": "hubgraph.testing.server",
    "HubgraphWebhooks": "hubgraph.testing.webhooks",
    "WebhookReceiver": "hubgraph.testing.webhooks",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)
