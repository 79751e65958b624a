"""What an operator lists: portals, private-app tokens (by fingerprint), OAuth apps."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select

from hubgraph.store.oauth import oauth_apps
from hubgraph.store.tables import portals, tokens

# A token is stored only as its SHA-256; this many hex digits of it name it in listings.
FINGERPRINT_LENGTH = 12


@dataclass(frozen=True, slots=True)
class PortalSummary:
    id: int
    name: str
    tokens: int
    created_at: int


@dataclass(frozen=True, slots=True)
class TokenSummary:
    fingerprint: str
    portal_id: int
    scopes: int
    created_at: int


@dataclass(frozen=True, slots=True)
class AppSummary:
    id: int
    name: str
    client_id: str
    redirect_uris: list[str]
    scopes: int
    created_at: int


def list_portals(conn: Connection) -> list[PortalSummary]:
    count = (
        select(func.count())
        .select_from(tokens)
        .where(tokens.c.portal_id == portals.c.id)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(portals.c.id, portals.c.name, portals.c.created_at, count.label("tokens")).order_by(
            portals.c.id
        )
    )
    return [PortalSummary(int(r.id), r.name, int(r.tokens), int(r.created_at)) for r in rows]


def list_tokens(conn: Connection, portal_id: int | None = None) -> list[TokenSummary]:
    query = select(tokens).order_by(tokens.c.portal_id, tokens.c.created_at)
    if portal_id is not None:
        query = query.where(tokens.c.portal_id == portal_id)
    return [
        TokenSummary(
            r.token_hash[:FINGERPRINT_LENGTH],
            int(r.portal_id),
            len(r.scopes.split()),
            int(r.created_at),
        )
        for r in conn.execute(query)
    ]


def token_hashes_starting(conn: Connection, prefix: str) -> list[str]:
    rows = conn.execute(select(tokens.c.token_hash).where(tokens.c.token_hash.startswith(prefix)))
    return [r.token_hash for r in rows]


def delete_token(conn: Connection, token_hash: str) -> bool:
    return conn.execute(delete(tokens).where(tokens.c.token_hash == token_hash)).rowcount > 0


def list_apps(conn: Connection) -> list[AppSummary]:
    return [
        AppSummary(
            int(r.id),
            r.name,
            r.client_id,
            r.redirect_uris.split(),
            len(r.scopes.split()),
            int(r.created_at),
        )
        for r in conn.execute(select(oauth_apps).order_by(oauth_apps.c.id))
    ]
