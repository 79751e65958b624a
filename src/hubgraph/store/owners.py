"""Owners of one portal: read by id, user id or email, paged by id."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from hubgraph.store.tables import owners


@dataclass(frozen=True, slots=True)
class OwnerRow:
    id: int
    user_id: int | None
    email: str | None
    first_name: str | None
    last_name: str | None
    type: str
    teams: list[dict[str, Any]]
    created_at: int
    updated_at: int
    archived_at: int | None


def _row(r: Any) -> OwnerRow:
    return OwnerRow(
        r.id,
        r.user_id,
        r.email,
        r.first_name,
        r.last_name,
        r.type,
        list(r.teams),
        r.created_at,
        r.updated_at,
        r.archived_at,
    )


def insert_owner(conn: Connection, portal_id: int, owner: OwnerRow) -> None:
    conn.execute(
        insert(owners).values(
            portal_id=portal_id,
            id=owner.id,
            user_id=owner.user_id,
            email=owner.email,
            first_name=owner.first_name,
            last_name=owner.last_name,
            type=owner.type,
            teams=owner.teams,
            created_at=owner.created_at,
            updated_at=owner.updated_at,
            archived_at=owner.archived_at,
        )
    )


def page_of_owners(
    conn: Connection,
    portal_id: int,
    *,
    archived: bool,
    after: int,
    limit: int,
    email: str | None = None,
) -> list[OwnerRow]:
    """Up to ``limit`` owners with ids above ``after``, in id order."""
    query = select(owners).where(owners.c.portal_id == portal_id, owners.c.id > after)
    query = query.where(
        owners.c.archived_at.is_not(None) if archived else owners.c.archived_at.is_(None)
    )
    if email is not None:
        # HubSpot matches e-mail addresses without regard to case.
        query = query.where(func.lower(owners.c.email) == email.lower())
    return [_row(r) for r in conn.execute(query.order_by(owners.c.id).limit(limit))]


def find_owner(
    conn: Connection, portal_id: int, *, owner_id: int | None = None, user_id: int | None = None
) -> OwnerRow | None:
    query = select(owners).where(owners.c.portal_id == portal_id)
    if owner_id is not None:
        query = query.where(owners.c.id == owner_id)
    if user_id is not None:
        query = query.where(owners.c.user_id == user_id)
    found = conn.execute(query.order_by(owners.c.id).limit(1)).first()
    return None if found is None else _row(found)


def email_taken(conn: Connection, portal_id: int, email: str) -> bool:
    query = select(owners.c.id).where(
        owners.c.portal_id == portal_id,
        func.lower(owners.c.email) == email.lower(),
        owners.c.archived_at.is_(None),
    )
    return conn.execute(query.limit(1)).first() is not None


def live_owner_ids(conn: Connection, portal_id: int, ids: Iterable[int]) -> set[int]:
    wanted = set(ids)
    if not wanted:
        return set()
    query = select(owners.c.id).where(
        owners.c.portal_id == portal_id,
        owners.c.id.in_(wanted),
        owners.c.archived_at.is_(None),
    )
    return {int(r.id) for r in conn.execute(query)}


def all_owner_ids(conn: Connection, portal_id: int) -> list[int]:
    query = select(owners.c.id).where(
        owners.c.portal_id == portal_id, owners.c.archived_at.is_(None)
    )
    return [int(r.id) for r in conn.execute(query.order_by(owners.c.id))]


def users(conn: Connection, portal_id: int, *, after: int, limit: int) -> list[OwnerRow]:
    """Live owners that are users (have a user id), in user-id order."""
    query = (
        select(owners)
        .where(
            owners.c.portal_id == portal_id,
            owners.c.user_id.is_not(None),
            owners.c.user_id > after,
            owners.c.archived_at.is_(None),
        )
        .order_by(owners.c.user_id)
        .limit(limit)
    )
    return [_row(r) for r in conn.execute(query)]


def all_live_owners(conn: Connection, portal_id: int) -> list[OwnerRow]:
    query = select(owners).where(owners.c.portal_id == portal_id, owners.c.archived_at.is_(None))
    return [_row(r) for r in conn.execute(query.order_by(owners.c.id))]


def archive_owner(conn: Connection, portal_id: int, owner_id: int, now_ms: int) -> bool:
    """Archive a live owner (a deactivated user); False when there is none."""
    done = conn.execute(
        update(owners)
        .where(
            owners.c.portal_id == portal_id,
            owners.c.id == owner_id,
            owners.c.archived_at.is_(None),
        )
        .values(archived_at=now_ms, updated_at=now_ms)
    )
    return done.rowcount > 0
