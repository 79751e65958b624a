"""Portals (HubSpot accounts) and their private-app tokens."""

from __future__ import annotations

from sqlalchemy import Connection, func, insert, select, text, update

from hubgraph.store.tables import portals, tokens

FIRST_PORTAL_ID = 10_000_001
FIRST_OBJECT_ID = 1_001
# The advisory lock portal creation holds on PostgreSQL ("portals" in ASCII).
PORTAL_ID_LOCK_KEY = 0x706F7274616C73


def create_portal(conn: Connection, name: str, now_ms: int) -> int:
    # HubSpot portal ids are 8-digit numbers; hand them out in order. Two servers making
    # portals at once would read the same max(): on PostgreSQL they take turns (until
    # commit); SQLite writers hold the database lock anyway.
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PORTAL_ID_LOCK_KEY})
    highest = conn.execute(select(func.max(portals.c.id))).scalar()
    portal_id = FIRST_PORTAL_ID if highest is None else int(highest) + 1
    conn.execute(
        insert(portals).values(
            id=portal_id, name=name, next_object_id=FIRST_OBJECT_ID, created_at=now_ms
        )
    )
    return portal_id


def portal_exists(conn: Connection, portal_id: int) -> bool:
    return conn.execute(select(portals.c.id).where(portals.c.id == portal_id)).first() is not None


def any_portal(conn: Connection) -> bool:
    return conn.execute(select(portals.c.id).limit(1)).first() is not None


def allocate_object_ids(conn: Connection, portal_id: int, count: int) -> list[int]:
    """Reserve ``count`` consecutive ids; the UPDATE locks the counter until commit."""
    next_free = conn.execute(
        update(portals)
        .where(portals.c.id == portal_id)
        .values(next_object_id=portals.c.next_object_id + count)
        .returning(portals.c.next_object_id)
    ).scalar_one()
    first = int(next_free) - count
    return list(range(first, first + count))


def add_token(
    conn: Connection, token_hash: str, portal_id: int, scopes: list[str], now_ms: int
) -> None:
    conn.execute(
        insert(tokens).values(
            token_hash=token_hash, portal_id=portal_id, scopes=" ".join(scopes), created_at=now_ms
        )
    )


def find_token(conn: Connection, token_hash: str) -> tuple[int, list[str]] | None:
    row = conn.execute(
        select(tokens.c.portal_id, tokens.c.scopes).where(tokens.c.token_hash == token_hash)
    ).first()
    if row is None:
        return None
    return int(row.portal_id), row.scopes.split()


def reserve_id(conn: Connection, portal_id: int, taken: int) -> None:
    """An id chosen by a client (an owner or pipeline id from a fixture) is never handed
    out again: the counter moves past it."""
    conn.execute(
        update(portals)
        .where(portals.c.id == portal_id, portals.c.next_object_id <= taken)
        .values(next_object_id=taken + 1)
    )
