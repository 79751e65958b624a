"""Portal users (migration 0007_portal_users): e-mail, name and a scrypt password hash."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    func,
    insert,
    select,
    update,
)

from hubgraph.store.tables import metadata

portal_users = Table(
    "portal_users",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("email", String(254), nullable=False),
    Column("first_name", Text, nullable=False),
    Column("last_name", Text, nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("archived", Boolean, nullable=False, server_default=false()),
    PrimaryKeyConstraint("portal_id", "user_id"),
    UniqueConstraint("portal_id", "email", name="portal_users_email"),
)

# HubSpot user ids are 7-8 digit numbers, one per person across the accounts they use.
FIRST_USER_ID = 1_000_001


@dataclass(frozen=True, slots=True)
class UserRow:
    portal_id: int
    user_id: int
    email: str
    first_name: str
    last_name: str
    created_at: int
    updated_at: int
    archived: bool


@dataclass(frozen=True, slots=True)
class Membership:
    """What a sign-in checks: a user's row in one portal, with its password hash."""

    portal_id: int
    user_id: int
    password_hash: str


_PUBLIC = (
    portal_users.c.portal_id,
    portal_users.c.user_id,
    portal_users.c.email,
    portal_users.c.first_name,
    portal_users.c.last_name,
    portal_users.c.created_at,
    portal_users.c.updated_at,
    portal_users.c.archived,
)


def user_id_for_email(conn: Connection, email: str) -> int | None:
    """The id this person already has in some portal, so one person keeps one id."""
    found = conn.execute(
        select(portal_users.c.user_id).where(portal_users.c.email == email).limit(1)
    ).scalar()
    return None if found is None else int(found)


def next_user_id(conn: Connection) -> int:
    highest = conn.execute(select(func.max(portal_users.c.user_id))).scalar()
    return FIRST_USER_ID if highest is None else int(highest) + 1


def email_taken(conn: Connection, portal_id: int, email: str) -> bool:
    query = select(portal_users.c.user_id).where(
        portal_users.c.portal_id == portal_id, portal_users.c.email == email
    )
    return conn.execute(query).first() is not None


def add_user(conn: Connection, row: UserRow, password_hash: str) -> None:
    conn.execute(
        insert(portal_users).values(
            portal_id=row.portal_id,
            user_id=row.user_id,
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            password_hash=password_hash,
            created_at=row.created_at,
            updated_at=row.updated_at,
            archived=row.archived,
        )
    )


def set_password_hash(conn: Connection, user_id: int, password_hash: str, now_ms: int) -> None:
    """One person, one password: every portal's row of the user gets the new hash."""
    conn.execute(
        update(portal_users)
        .where(portal_users.c.user_id == user_id)
        .values(password_hash=password_hash, updated_at=now_ms)
    )


def list_users(conn: Connection, portal_id: int, archived: bool = False) -> list[UserRow]:
    query = (
        select(*_PUBLIC)
        .where(portal_users.c.portal_id == portal_id, portal_users.c.archived == archived)
        .order_by(portal_users.c.user_id)
    )
    return [UserRow(*row) for row in conn.execute(query)]


def memberships_by_email(conn: Connection, email: str) -> list[Membership]:
    query = (
        select(portal_users.c.portal_id, portal_users.c.user_id, portal_users.c.password_hash)
        .where(portal_users.c.email == email, portal_users.c.archived == false())
        .order_by(portal_users.c.portal_id)
    )
    return [Membership(*row) for row in conn.execute(query)]


def membership(conn: Connection, portal_id: int, user_id: int) -> Membership | None:
    query = select(
        portal_users.c.portal_id, portal_users.c.user_id, portal_users.c.password_hash
    ).where(
        portal_users.c.portal_id == portal_id,
        portal_users.c.user_id == user_id,
        portal_users.c.archived == false(),
    )
    row = conn.execute(query).first()
    return None if row is None else Membership(*row)
