"""Portals (HubSpot accounts), private-app tokens, and authenticating a bearer token."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from hubgraph.domain.rate_limits import RateLimitPolicy
from hubgraph.domain.scope_catalogue import require_known_scopes
from hubgraph.domain.scopes import all_crm_scopes
from hubgraph.errors import InvalidAuthentication, MissingScopes
from hubgraph.services.access import oauth, rate_limits
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.store import migrate
from hubgraph.store import portals as portal_store


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the token's portal and the scopes it was granted."""

    portal_id: int
    scopes: frozenset[str]
    # The app behind the token, for its burst limit: "pat:<hash prefix>" or "app:<id>".
    client_key: str = ""
    # OAuth access tokens expire; private-app tokens don't (None).
    expires_at_ms: int | None = None
    # None: this portal is not rate limited.
    limits: RateLimitPolicy | None = None

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
    if scopes:
        require_known_scopes(scopes)
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
    token = token.strip()
    with services.database.read() as conn:
        if not token.startswith("pat-"):
            grant = oauth.find_access_grant(conn, token)
            limits = rate_limits.policy_for(conn, services.settings, grant.portal_id, oauth=True)
            return Principal(
                grant.portal_id,
                grant.scopes,
                client_key=f"app:{grant.app_id}",
                expires_at_ms=grant.expires_at_ms,
                limits=limits,
            )
        digest = hash_token(token)
        found = portal_store.find_token(conn, digest)
        if found is None:
            raise InvalidAuthentication()
        portal_id, scopes = found
        limits = rate_limits.policy_for(conn, services.settings, portal_id, oauth=False)
    return Principal(portal_id, frozenset(scopes), client_key=f"pat:{digest[:16]}", limits=limits)
