"""Events from writes: the journal of a write transaction becomes outbox rows in it.

Who hears of a change (reference §3): apps installed in the portal (an authorization
code was exchanged there, so a refresh token exists) with an active subscription whose
type matches and whose object the installation's scopes may read. One event per
matching subscription; association changes give one event per side (per stored row).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from hubgraph import metrics
from hubgraph.domain.association_types import Category
from hubgraph.domain.scopes import read_scopes
from hubgraph.domain.webhooks import (
    LEGACY_OBJECTS,
    OBJECT_SCOPES,
    EventKind,
    association_type_name,
    event_payload,
    subscription_type_for,
)
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.store import webhooks as store
from hubgraph.store.journal import (
    AssociationChange,
    Change,
    MergeChange,
    PropertyChange,
    RecordChange,
)

# Reference §4.1: the source of changes made through the API; HubSpot's value for an
# app's API writes is UNCONFIRMED (docs/compat.md).
CHANGE_SOURCE = "INTEGRATION"
# How long a node may go on journaling (or not) after another node (de)activates the
# first (last) subscription; this node's own changes apply at once.
LISTENING_TTL_S = 1.0


class Listening:
    """Whether any active subscription exists: checked at most once a second per process."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._lock = threading.Lock()
        self._value = False
        self._checked_at = float("-inf")

    def __call__(self) -> bool:
        known = self.known()
        if known is not None:
            return known
        with self._lock, self._services.database.engine.connect() as conn:
            self._value = store.any_active_subscription(conn)
            self._checked_at = time.monotonic()
        return self._value

    def known(self) -> bool | None:
        """The last answer while it is fresh, without reading the database; else None."""
        if time.monotonic() - self._checked_at < LISTENING_TTL_S:
            return self._value
        return None

    def invalidate(self) -> None:
        self._checked_at = float("-inf")


def install(services: Services) -> None:
    """Journal writes of these services and turn each journal into events."""
    services.database.listening = Listening(services)
    services.database.before_commit = lambda conn, changes: write_events(services, conn, changes)


def subscriptions_changed(services: Services) -> None:
    """This process journals at once after its own subscription changes."""
    if isinstance(services.database.listening, Listening):
        services.database.listening.invalidate()


@dataclass(frozen=True, slots=True)
class _Match:
    app_id: int
    subscription_id: int
    subscription_type: str
    details: dict[str, Any]


def write_events(services: Services, conn: Connection, changes: list[Change]) -> None:
    by_portal: dict[int, list[Change]] = {}
    for change in changes:
        by_portal.setdefault(change.portal_id, []).append(change)
    for portal_id, portal_changes in by_portal.items():
        _write_portal_events(services, conn, portal_id, portal_changes)


def _write_portal_events(
    services: Services, conn: Connection, portal_id: int, changes: list[Change]
) -> None:
    installed = store.installations(conn, portal_id)
    if not installed:
        return
    scopes = {i.app_id: i.scopes for i in installed}
    subscriptions = store.active_subscriptions(conn, list(scopes))
    matches = [
        m
        for change in changes
        for s in subscriptions
        if (m := _match(services, change, s, scopes[s.app_id])) is not None
    ]
    if not matches:
        return
    first_id = store.allocate_event_ids(conn, portal_id, len(matches))
    now = now_ms()
    store.add_events(
        conn,
        [
            store.EventRow(
                portal_id=portal_id,
                id=first_id + i,
                app_id=m.app_id,
                subscription_id=m.subscription_id,
                payload=event_payload(
                    event_id=first_id + i,
                    subscription_id=m.subscription_id,
                    portal_id=portal_id,
                    app_id=m.app_id,
                    occurred_at=now,
                    subscription_type=m.subscription_type,
                    details=m.details,
                ),
                occurred_at=now,
                attempt_number=0,
                state=store.PENDING,
                next_attempt_at=now,
            )
            for i, m in enumerate(matches)
        ],
    )
    # counted as the outbox rows are written, in the transaction that commits them
    for m in matches:
        metrics.WEBHOOK_EVENTS_ENQUEUED.labels(m.subscription_type).inc()


def _match(
    services: Services, change: Change, s: store.SubscriptionRow, granted: frozenset[str]
) -> _Match | None:
    wanted = EventKind.parse(s.event_type)
    if isinstance(change, RecordChange):
        object_type_id, event = change.object_type_id, change.event
        details: dict[str, Any] = {"objectId": change.object_id, "changeSource": CHANGE_SOURCE}
        if event in ("creation", "deletion"):
            details["changeFlag"] = "CREATED" if event == "creation" else "DELETED"
    elif isinstance(change, MergeChange):
        object_type_id, event = change.object_type_id, "merge"
        details = _merge_details(change)
    elif isinstance(change, PropertyChange):
        object_type_id, event = change.object_type_id, "propertyChange"
        if s.property_name != change.name:
            return None
        value = change.value
        details = {
            "objectId": change.object_id,
            "propertyName": change.name,
            "propertyValue": "" if value is None else str(value),
            "changeSource": CHANGE_SOURCE,
        }
    else:
        object_type_id, event = change.row.from_type, "associationChange"
        found = _association_details(services, change, generic=wanted.object_name == "object")
        if found is None:
            return None
        details = found
    if wanted.event != event:
        return None
    subscription_type = subscription_type_for(object_type_id, event, s.object_type_id)
    if subscription_type != s.event_type or not _may_read(services, object_type_id, granted):
        return None
    if s.object_type_id is not None and event != "associationChange":
        details["objectTypeId"] = object_type_id  # §2.2: generic events name the type
    return _Match(s.app_id, s.id, subscription_type, details)


def _merge_details(change: MergeChange) -> dict[str, Any]:
    """§4.2: the merge fields. ``objectId`` is the primary, as in the merge payloads public
    code parses; the record the merge made is ``newObjectId`` (UNCONFIRMED, docs/compat.md)."""
    return {
        "objectId": change.primary_id,
        "primaryObjectId": change.primary_id,
        "mergedObjectIds": list(change.merged_ids),
        "newObjectId": change.new_id,
        "numberOfPropertiesMoved": change.properties_moved,
        "changeSource": CHANGE_SOURCE,
    }


def _association_details(
    services: Services, change: AssociationChange, *, generic: bool
) -> dict[str, Any] | None:
    """§4.2 legacy events speak of HubSpot-defined types only (a pair name and whether it is
    primary); generic ``object.associationChange`` events also carry the type, any label."""
    row = change.row
    defined = services.association_types.get(row.category, row.type_id)
    details: dict[str, Any] = {"changeSource": CHANGE_SOURCE}
    if generic:
        details |= {
            "fromObjectTypeId": row.from_type,
            "toObjectTypeId": row.to_type,
            "associationTypeId": row.type_id,
            "associationCategory": str(row.category),
        }
    else:
        name = association_type_name(row.from_type, row.to_type)
        if name is None or row.category != Category.HUBSPOT_DEFINED or defined is None:
            return None
        details["associationType"] = name
    details |= {
        "fromObjectId": row.from_id,
        "toObjectId": row.to_id,
        "associationRemoved": change.removed,
        "isPrimaryAssociation": bool(defined is not None and defined.is_primary),
    }
    return details


def _may_read(services: Services, object_type_id: str, granted: frozenset[str]) -> bool:
    """§2.3: the installation's scopes must let the app read the object's records."""
    legacy = LEGACY_OBJECTS.get(object_type_id)
    if legacy is not None and OBJECT_SCOPES[legacy] in granted:
        return True
    object_type = services.object_types.by_id(object_type_id)
    return any(scope in granted for scope in read_scopes(object_type))
