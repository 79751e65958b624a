"""Portals (HubSpot accounts), private-app tokens, and authenticating a bearer token."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from hubgraph.domain.scopes import all_crm_scopes
from hubgraph.errors import InvalidAuthentication, MissingScopes
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.store import migrate
from hubgraph.store import portals as portal_store


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the token's portal and the scopes it was granted."""

    portal_id: int
    scopes: frozenset[str]

    def require_any(self, acceptable: list[str]) -> None:
        if self.scopes.isdisjoint(acceptable):
            raise MissingScopes(acceptable)


def hash_token(token: str) -> str:
    # Tokens carry 122 random bits, so a plain SHA-256 is enough to store them safely;
    # looking the digest up also keeps comparisons independent of the token's bytes.
    return hashlib.sha256(token.encode()).hexdigest()


def upgrade_database(services: Services) -> None:
    migrate.upgrade(services.database.engine)


def create_portal(services: Services, name: str = "hubgraph") -> int:
    with services.database.write() as conn:
        return portal_store.create_portal(conn, name, now_ms())


def any_portal(services: Services) -> bool:
    with services.database.read() as conn:
        return portal_store.any_portal(conn)


class UnknownPortal(LookupError):
    pass


def create_token(services: Services, portal_id: int, scopes: list[str] | None = None) -> str:
    token = f"pat-{services.settings.hublet}-{uuid.uuid4()}"
    with services.database.write() as conn:
        if not portal_store.portal_exists(conn, portal_id):
            raise UnknownPortal(portal_id)
        granted = sorted(set(scopes)) if scopes else all_crm_scopes()
        portal_store.add_token(conn, hash_token(token), portal_id, granted, now_ms())
    return token


def authenticate(services: Services, authorization: str | None) -> Principal:
    if not authorization:
        raise InvalidAuthentication()
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidAuthentication()
    with services.database.read() as conn:
        found = portal_store.find_token(conn, hash_token(token.strip()))
    if found is None:
        raise InvalidAuthentication()
    portal_id, scopes = found
    return Principal(portal_id, frozenset(scopes))
