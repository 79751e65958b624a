"""What the pytest fixtures hand out: a running server and fresh portals on it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy.exc import IntegrityError

from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.services.portability import seed, snapshots
from hubgraph.store.associations import CATEGORIES_BY_CODE
from hubgraph.testing.server import ServerThread


class HubgraphServer:
    """A real hubgraph on 127.0.0.1:<free port>, on its own database, until ``stop()``."""

    def __init__(self, database_url: str, settings: Settings | None = None) -> None:
        """``settings`` (its database_url is replaced) tunes the server, e.g. its webhooks."""
        base = settings or Settings()
        self.services = Services.from_settings(
            base.model_copy(update={"database_url": database_url})
        )
        portals.upgrade_database(self.services)
        self._thread = ServerThread(create_app(self.services.settings, self.services))

    @property
    def base_url(self) -> str:
        return self._thread.base_url

    def start(self) -> HubgraphServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._thread.stop()
        self.services.close()

    def __enter__(self) -> HubgraphServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def new_portal(self, name: str = "test", scopes: list[str] | None = None) -> HubgraphPortal:
        """A portal of its own and a token for it (every CRM scope unless ``scopes``)."""
        # Portal ids are the highest plus one; test processes sharing one database
        # (HUBGRAPH_TEST_DATABASE_URL under xdist) can race for one, so try again.
        for attempt in range(5):
            try:
                portal_id = portals.create_portal(self.services, name)
                break
            except IntegrityError:
                if attempt == 4:
                    raise
        token = portals.create_token(self.services, portal_id, scopes)
        return HubgraphPortal(self, portal_id, token)


@dataclass(frozen=True)
class HubgraphPortal:
    """One portal on a test server, with its token and the control plane's operations."""

    server: HubgraphServer
    id: int
    token: str

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def new_token(self, scopes: list[str] | None = None) -> str:
        """Another token for this portal, e.g. with fewer scopes to test a 403."""
        return portals.create_token(self.server.services, self.id, scopes)

    def seed(self, fixture: str | Path | Mapping[str, Any]) -> dict[str, str]:
        """Create a fixture's records and associations; each ``ref`` → its record id."""
        if isinstance(fixture, Mapping):
            content: object = fixture
        else:
            path = Path(fixture)
            content = seed.parse_fixture(path.read_bytes(), path.name)
        result = seed.seed_portal(self.server.services, self.id, content)
        return {ref: str(record.id) for ref, record in result.records.items()}

    def associations(self) -> list[dict[str, Any]]:
        """Every stored association direction, in HubSpot's words, archived records' too."""
        rows = self.snapshot()["tables"]["associations"]
        return [
            {
                "fromObjectTypeId": r["from_type"],
                "fromObjectId": str(r["from_id"]),
                "toObjectTypeId": r["to_type"],
                "toObjectId": str(r["to_id"]),
                "associationCategory": CATEGORIES_BY_CODE[r["category"]].value,
                "associationTypeId": r["type_id"],
            }
            for r in rows
        ]

    def snapshot(self) -> dict[str, Any]:
        return snapshots.take_snapshot(self.server.services, self.id)

    def restore(self, snapshot: Mapping[str, Any]) -> None:
        snapshots.restore_snapshot(self.server.services, self.id, dict(snapshot))

    def reset(self) -> None:
        snapshots.reset_portal(self.server.services, self.id)
