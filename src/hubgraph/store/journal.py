"""What a write transaction changed, for those who must hear of it (app webhooks).

``Database.write`` opens a journal on the connection only when someone listens
(``Database.listening``); the store's write functions then note each change, and the
journal is handed to ``Database.before_commit`` inside the same transaction. Without
listeners a write pays one dictionary lookup per store call and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from hubgraph.domain.associations import Association

_KEY = "hubgraph.journal"


@dataclass(frozen=True, slots=True)
class RecordChange:
    """A record created, archived (``deletion``) or restored."""

    portal_id: int
    object_type_id: str
    object_id: int
    event: str
    properties: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class PropertyChange:
    portal_id: int
    object_type_id: str
    object_id: int
    name: str
    value: Any


@dataclass(frozen=True, slots=True)
class AssociationChange:
    """One stored row (one side of an association) added or removed."""

    portal_id: int
    row: Association
    removed: bool


Change = RecordChange | PropertyChange | AssociationChange


def open_journal(conn: Connection) -> list[Change]:
    changes: list[Change] = []
    conn.info[_KEY] = changes
    return changes


def close_journal(conn: Connection) -> None:
    conn.info.pop(_KEY, None)


def journal(conn: Connection) -> list[Change] | None:
    """The open journal, or None when nobody listens (the common case)."""
    found: list[Change] | None = conn.info.get(_KEY)
    return found
