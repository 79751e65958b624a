"""App webhooks: developer accounts, settings, subscriptions, and the event outbox.

Settings and subscriptions belong to an app (a developer account's), so their keys are
the app's. Events belong to the portal whose change made them: the outbox is keyed
``(portal_id, id)`` and written in the transaction of the change, so a rollback sends
nothing and a crash after commit loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    tuple_,
    update,
)

from hubgraph.store.oauth import oauth_refresh_tokens
from hubgraph.store.tables import metadata

webhook_settings = Table(
    "webhook_settings",
    metadata,
    Column("app_id", BigInteger, primary_key=True, autoincrement=False),
    Column("target_url", Text, nullable=False),
    Column("max_concurrent_requests", Integer, nullable=False),
    Column("period", String(16), nullable=True),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=True),
)

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("app_id", BigInteger, nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("property_name", Text, nullable=True),
    Column("object_type_id", String(32), nullable=True),
    Column("active", Boolean, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=True),
)
Index("webhook_subscriptions_app", webhook_subscriptions.c.app_id)

# One row per (event, subscription): state 0 pending, 1 delivered, 2 dropped after the
# last retry. A worker claims due rows by pushing claimed_until past now.
PENDING, DELIVERED, DROPPED = 0, 1, 2
webhook_events = Table(
    "webhook_events",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("id", BigInteger, nullable=False),
    Column("app_id", BigInteger, nullable=False),
    Column("subscription_id", Integer, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("occurred_at", BigInteger, nullable=False),
    Column("attempt_number", Integer, nullable=False),
    Column("state", SmallInteger, nullable=False),
    Column("next_attempt_at", BigInteger, nullable=False),
    Column("claimed_until", BigInteger, nullable=False),
    PrimaryKeyConstraint("portal_id", "id"),
)
Index("webhook_events_due", webhook_events.c.state, webhook_events.c.next_attempt_at)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("event_id", BigInteger, nullable=False),
    Column("attempt_number", Integer, nullable=False),
    Column("sent_at", BigInteger, nullable=False),
    Column("duration_ms", Integer, nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("error", Text, nullable=True),
    PrimaryKeyConstraint("portal_id", "event_id", "attempt_number", "sent_at"),
)

webhook_event_sequences = Table(
    "webhook_event_sequences",
    metadata,
    Column("portal_id", BigInteger, primary_key=True, autoincrement=False),
    Column("next_event_id", BigInteger, nullable=False),
)

FIRST_EVENT_ID = 1


# --- settings --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SettingsRow:
    app_id: int
    target_url: str
    max_concurrent_requests: int
    period: str | None
    created_at: int
    updated_at: int | None


def get_settings(conn: Connection, app_id: int) -> SettingsRow | None:
    row = conn.execute(select(webhook_settings).where(webhook_settings.c.app_id == app_id)).first()
    return None if row is None else SettingsRow(*row)


def put_settings(
    conn: Connection,
    app_id: int,
    target_url: str,
    max_concurrent: int,
    period: str | None,
    now: int,
) -> None:
    existing = get_settings(conn, app_id)
    values = {"target_url": target_url, "max_concurrent_requests": max_concurrent, "period": period}
    if existing is None:
        conn.execute(insert(webhook_settings).values(app_id=app_id, created_at=now, **values))
    else:
        conn.execute(
            update(webhook_settings)
            .where(webhook_settings.c.app_id == app_id)
            .values(updated_at=now, **values)
        )


def delete_settings(conn: Connection, app_id: int) -> bool:
    result = conn.execute(delete(webhook_settings).where(webhook_settings.c.app_id == app_id))
    return bool(result.rowcount)


# --- subscriptions -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubscriptionRow:
    id: int
    app_id: int
    event_type: str
    property_name: str | None
    object_type_id: str | None
    active: bool
    created_at: int
    updated_at: int | None


def _subscription(row: Any) -> SubscriptionRow:
    return SubscriptionRow(
        int(row.id),
        int(row.app_id),
        row.event_type,
        row.property_name,
        row.object_type_id,
        bool(row.active),
        int(row.created_at),
        None if row.updated_at is None else int(row.updated_at),
    )


def list_subscriptions(conn: Connection, app_id: int) -> list[SubscriptionRow]:
    query = (
        select(webhook_subscriptions)
        .where(webhook_subscriptions.c.app_id == app_id)
        .order_by(webhook_subscriptions.c.id)
    )
    return [_subscription(r) for r in conn.execute(query)]


def count_subscriptions(conn: Connection, app_id: int) -> int:
    query = select(func.count()).where(webhook_subscriptions.c.app_id == app_id)
    return int(conn.execute(query).scalar_one())


def add_subscription(
    conn: Connection,
    app_id: int,
    event_type: str,
    property_name: str | None,
    object_type_id: str | None,
    active: bool,
    now: int,
) -> SubscriptionRow:
    highest = conn.execute(select(func.max(webhook_subscriptions.c.id))).scalar()
    subscription_id = 1 if highest is None else int(highest) + 1
    row = SubscriptionRow(
        subscription_id, app_id, event_type, property_name, object_type_id, active, now, None
    )
    conn.execute(
        insert(webhook_subscriptions).values(
            id=row.id,
            app_id=app_id,
            event_type=event_type,
            property_name=property_name,
            object_type_id=object_type_id,
            active=active,
            created_at=now,
            updated_at=None,
        )
    )
    return row


def subscriptions_by_id(
    conn: Connection, app_id: int, ids: Iterable[int]
) -> dict[int, SubscriptionRow]:
    query = select(webhook_subscriptions).where(
        webhook_subscriptions.c.app_id == app_id, webhook_subscriptions.c.id.in_(list(ids))
    )
    return {int(r.id): _subscription(r) for r in conn.execute(query)}


def set_active(conn: Connection, app_id: int, ids: Sequence[int], active: bool, now: int) -> None:
    conn.execute(
        update(webhook_subscriptions)
        .where(webhook_subscriptions.c.app_id == app_id, webhook_subscriptions.c.id.in_(list(ids)))
        .values(active=active, updated_at=now)
    )


def delete_subscription(conn: Connection, app_id: int, subscription_id: int) -> bool:
    result = conn.execute(
        delete(webhook_subscriptions).where(
            webhook_subscriptions.c.app_id == app_id,
            webhook_subscriptions.c.id == subscription_id,
        )
    )
    return bool(result.rowcount)


def any_active_subscription(conn: Connection) -> bool:
    query = select(webhook_subscriptions.c.id).where(webhook_subscriptions.c.active.is_(True))
    return conn.execute(query.limit(1)).first() is not None


@dataclass(frozen=True, slots=True)
class Installation:
    """An app installed in a portal (a code was exchanged there), with what it may read."""

    app_id: int
    scopes: frozenset[str]


def installations(conn: Connection, portal_id: int) -> list[Installation]:
    """Apps with a refresh token in the portal and an active subscription."""
    query = (
        select(oauth_refresh_tokens.c.app_id, oauth_refresh_tokens.c.scopes)
        .where(
            oauth_refresh_tokens.c.portal_id == portal_id,
            oauth_refresh_tokens.c.app_id.in_(
                select(webhook_subscriptions.c.app_id).where(
                    webhook_subscriptions.c.active.is_(True)
                )
            ),
        )
        .order_by(oauth_refresh_tokens.c.app_id)
    )
    scopes: dict[int, set[str]] = {}
    for app_id, granted in conn.execute(query):
        scopes.setdefault(int(app_id), set()).update(granted.split())
    return [Installation(app_id, frozenset(s)) for app_id, s in scopes.items()]


def active_subscriptions(conn: Connection, app_ids: Sequence[int]) -> list[SubscriptionRow]:
    query = (
        select(webhook_subscriptions)
        .where(
            webhook_subscriptions.c.app_id.in_(list(app_ids)),
            webhook_subscriptions.c.active.is_(True),
        )
        .order_by(webhook_subscriptions.c.id)
    )
    return [_subscription(r) for r in conn.execute(query)]


# --- the outbox --------------------------------------------------------------------------


def allocate_event_ids(conn: Connection, portal_id: int, count: int) -> int:
    """The first of ``count`` consecutive event ids; the row lock holds until commit."""
    updated = conn.execute(
        update(webhook_event_sequences)
        .where(webhook_event_sequences.c.portal_id == portal_id)
        .values(next_event_id=webhook_event_sequences.c.next_event_id + count)
        .returning(webhook_event_sequences.c.next_event_id)
    ).scalar()
    if updated is not None:
        return int(updated) - count
    conn.execute(
        insert(webhook_event_sequences).values(
            portal_id=portal_id, next_event_id=FIRST_EVENT_ID + count
        )
    )
    return FIRST_EVENT_ID


@dataclass(frozen=True, slots=True)
class EventRow:
    portal_id: int
    id: int
    app_id: int
    subscription_id: int
    payload: dict[str, Any]
    occurred_at: int
    attempt_number: int
    state: int
    next_attempt_at: int


def add_events(conn: Connection, rows: list[EventRow]) -> None:
    if not rows:
        return
    conn.execute(
        insert(webhook_events),
        [
            {
                "portal_id": r.portal_id,
                "id": r.id,
                "app_id": r.app_id,
                "subscription_id": r.subscription_id,
                "payload": r.payload,
                "occurred_at": r.occurred_at,
                "attempt_number": r.attempt_number,
                "state": r.state,
                "next_attempt_at": r.next_attempt_at,
                "claimed_until": 0,
            }
            for r in rows
        ],
    )


def _event(row: Any) -> EventRow:
    return EventRow(
        int(row.portal_id),
        int(row.id),
        int(row.app_id),
        int(row.subscription_id),
        row.payload,
        int(row.occurred_at),
        int(row.attempt_number),
        int(row.state),
        int(row.next_attempt_at),
    )


def any_due_event(conn: Connection, now: int) -> bool:
    """A cheap read first, so an idle server's poll takes no write lock."""
    query = select(webhook_events.c.id).where(
        webhook_events.c.state == PENDING,
        webhook_events.c.next_attempt_at <= now,
        webhook_events.c.claimed_until < now,
    )
    return conn.execute(query.limit(1)).first() is not None


def count_pending_events(conn: Connection) -> int:
    """Events not yet delivered nor dropped (the ``webhook_events_due`` index answers)."""
    query = (
        select(func.count()).select_from(webhook_events).where(webhook_events.c.state == PENDING)
    )
    return int(conn.execute(query).scalar_one())


def claim_due_events(conn: Connection, now: int, lease_ms: int, limit: int) -> list[EventRow]:
    """Pending events due now that no worker holds, leased to the caller until now+lease.

    On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets workers on other nodes claim other rows
    at the same moment; SQLite's writers are serialised, so the lease alone is exclusive.
    """
    query = (
        select(webhook_events)
        .where(
            webhook_events.c.state == PENDING,
            webhook_events.c.next_attempt_at <= now,
            webhook_events.c.claimed_until < now,
        )
        .order_by(webhook_events.c.next_attempt_at, webhook_events.c.portal_id, webhook_events.c.id)
        .limit(limit)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = [_event(r) for r in conn.execute(query)]
    if rows:
        conn.execute(
            update(webhook_events)
            .where(
                tuple_(webhook_events.c.portal_id, webhook_events.c.id).in_(
                    [(r.portal_id, r.id) for r in rows]
                )
            )
            .values(claimed_until=now + lease_ms)
        )
    return rows


def settle_event(
    conn: Connection,
    event: EventRow,
    *,
    state: int,
    attempt_number: int,
    next_attempt_at: int,
) -> None:
    conn.execute(
        update(webhook_events)
        .where(webhook_events.c.portal_id == event.portal_id, webhook_events.c.id == event.id)
        .values(
            state=state,
            attempt_number=attempt_number,
            next_attempt_at=next_attempt_at,
            claimed_until=0,
        )
    )


def add_attempt(
    conn: Connection,
    event: EventRow,
    sent_at: int,
    duration_ms: int,
    status_code: int | None,
    error: str | None,
) -> None:
    conn.execute(
        insert(webhook_attempts).values(
            portal_id=event.portal_id,
            event_id=event.id,
            attempt_number=event.attempt_number,
            sent_at=sent_at,
            duration_ms=duration_ms,
            status_code=status_code,
            error=error,
        )
    )


def list_events(
    conn: Connection, portal_id: int, limit: int, app_id: int | None = None
) -> list[tuple[EventRow, list[dict[str, Any]]]]:
    """The portal's newest events, each with its attempts (oldest first)."""
    query = select(webhook_events).where(webhook_events.c.portal_id == portal_id)
    if app_id is not None:
        query = query.where(webhook_events.c.app_id == app_id)
    events = [
        _event(r) for r in conn.execute(query.order_by(webhook_events.c.id.desc()).limit(limit))
    ]
    if not events:
        return []
    attempts: dict[int, list[dict[str, Any]]] = {e.id: [] for e in events}
    rows = conn.execute(
        select(webhook_attempts)
        .where(
            webhook_attempts.c.portal_id == portal_id,
            webhook_attempts.c.event_id.in_(list(attempts)),
        )
        .order_by(webhook_attempts.c.event_id, webhook_attempts.c.sent_at)
    )
    for r in rows:
        attempts[int(r.event_id)].append(
            {
                "attemptNumber": int(r.attempt_number),
                "sentAt": int(r.sent_at),
                "durationMs": int(r.duration_ms),
                "statusCode": r.status_code,
                "error": r.error,
            }
        )
    return [(e, attempts[e.id]) for e in events]


def requeue_event(conn: Connection, portal_id: int, event_id: int, now: int) -> bool:
    """Send again at once (the next attempt number), whatever its state."""
    result = conn.execute(
        update(webhook_events)
        .where(webhook_events.c.portal_id == portal_id, webhook_events.c.id == event_id)
        .values(state=PENDING, next_attempt_at=now, claimed_until=0)
    )
    return bool(result.rowcount)
