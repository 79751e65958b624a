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


@dataclass(frozen=True, slots=True)
class MergeChange:
    """Two records merged into a new one (``POST /crm/v3/objects/{type}/merge``)."""

    portal_id: int
    object_type_id: str
    primary_id: int
    merged_ids: tuple[int, ...]
    new_id: int
    properties_moved: int


Change = RecordChange | PropertyChange | AssociationChange | MergeChange


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


def note_merge(conn: Connection, merge: MergeChange) -> None:
    """A merge is its own event (reference §4.2), not the archive of both records and the
    creation of a third that the store's writes noted: those notes give way to it. Rows
    noted twice (removed by the archive, then by the move) are noted once."""
    changes = journal(conn)
    if changes is None:
        return
    ids = {merge.primary_id, *merge.merged_ids, merge.new_id}
    kept: list[Change] = []
    seen: set[AssociationChange] = set()
    at: int | None = None
    for change in changes:
        if (
            isinstance(change, RecordChange)
            and change.portal_id == merge.portal_id
            and change.object_type_id == merge.object_type_id
            and change.object_id in ids
        ):
            at = len(kept) if at is None else at
            continue
        if isinstance(change, AssociationChange):
            if change in seen:
                continue
            seen.add(change)
        kept.append(change)
    kept.insert(len(kept) if at is None else at, merge)
    changes[:] = kept
