"""Every URL of the web UI, built in one place: pages link each other and tests use them.

Paths are stable (docs/ui.md lists them); object types appear as HubSpot's plural names
(``contacts``), and any name form HubSpot accepts (``0-1``, ``contact``) works as well.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from hubgraph import __version__

ROOT = "/_hubgraph/ui"


def _segment(value: object) -> str:
    return quote(str(value), safe="")


def _query(**params: object) -> str:
    present = {k: v for k, v in params.items() if v not in (None, "", 0)}
    return "?" + urlencode(present) if present else ""


class Links:
    """Handed to every template as ``links``."""

    def home(self) -> str:
        return f"{ROOT}/"

    def static(self, name: str) -> str:
        # The version in the query makes a browser fetch the assets again after an upgrade.
        return f"{ROOT}/static/{_segment(name)}?v={_segment(__version__)}"

    def portal(self, portal_id: int) -> str:
        return f"{ROOT}/portals/{portal_id}"

    def records(
        self, portal_id: int, object_type: str, q: str = "", after: int | None = None
    ) -> str:
        base = f"{ROOT}/portals/{portal_id}/objects/{_segment(object_type)}"
        return base + _query(q=q, after=after)

    def record(self, portal_id: int, object_type: str, object_id: int | str) -> str:
        return f"{ROOT}/portals/{portal_id}/objects/{_segment(object_type)}/{_segment(object_id)}"

    def associations(
        self,
        portal_id: int,
        object_type: str,
        object_id: int | str,
        to_object_type: str,
        after: int | None = None,
    ) -> str:
        base = self.record(portal_id, object_type, object_id)
        return f"{base}/associations/{_segment(to_object_type)}" + _query(after=after)

    def graph(self, portal_id: int, object_type: str, object_id: int | str) -> str:
        return self.record(portal_id, object_type, object_id) + "/graph"

    def graph_json(self, portal_id: int, object_type: str, object_id: int | str) -> str:
        return self.record(portal_id, object_type, object_id) + "/graph.json"

    def labels(self, portal_id: int, from_type: str = "", to_type: str = "") -> str:
        return f"{ROOT}/portals/{portal_id}/labels" + _query(**{"from": from_type, "to": to_type})

    def requests(self, portal_id: int) -> str:
        return f"{ROOT}/portals/{portal_id}/requests"

    def webhooks(self, portal_id: int) -> str:
        return f"{ROOT}/portals/{portal_id}/webhooks"

    def actions(self, portal_id: int, done: str = "") -> str:
        return f"{ROOT}/portals/{portal_id}/actions" + _query(done=done)

    def snapshot(self, portal_id: int) -> str:
        return f"{ROOT}/portals/{portal_id}/snapshot.json"

    def reset(self, portal_id: int) -> str:
        return f"{ROOT}/portals/{portal_id}/reset"

    def restore(self, portal_id: int) -> str:
        return f"{ROOT}/portals/{portal_id}/restore"


links = Links()
