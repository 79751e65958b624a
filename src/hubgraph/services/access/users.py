"""Portal users: who may sign in to the consent page, and for which portals.

HubSpot's consent screen belongs to a signed-in HubSpot user and offers only the accounts
that user belongs to; so does ours. A user is one person (one user id, one password)
with a row per portal they belong to (``store.portal_users``).

Signing in yields a *consent ticket*, carried by the consent form: the user id, an expiry
and the app's client id and redirect URI, signed with HMAC-SHA256 under the user's stored
password hash. The hash never leaves the server, differs per user and changes with the
password, so a ticket cannot be forged, outlives no password change, and is checked on
any worker without a session store. Approving checks the ticket against the user's row
*in the chosen portal*: for a portal the user does not belong to there is none.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from hubgraph.domain.passwords import WeakPassword, dummy_hash, hash_password, verify_password
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.store import oauth as oauth_store
from hubgraph.store import portal_users as store
from hubgraph.store import portals as portal_store

__all__ = [
    "ConsentRefused",
    "EmailTaken",
    "SignedIn",
    "UnknownPortal",
    "WeakPassword",
    "approving_user",
    "create_user",
    "list_users",
    "sign_in",
]

# As long as an authorization code: the consent form must be sent within it.
TICKET_TTL_SECONDS = 600
MAX_EMAIL_LENGTH = 254


class UnknownPortal(LookupError):
    pass


class EmailTaken(ValueError):
    pass


class ConsentRefused(PermissionError):
    """No valid ticket for this user, app and portal: the approval does not happen."""


@dataclass(frozen=True, slots=True)
class SignedIn:
    user_id: int
    email: str
    portals: list[tuple[int, str]]
    ticket: str


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    services: Services,
    portal_id: int,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
) -> store.UserRow:
    """Add a user to a portal. An e-mail already known in another portal is the same
    person: the same user id, and the new password becomes theirs in every portal."""
    email = normalise_email(email)
    if not email or "@" not in email or len(email) > MAX_EMAIL_LENGTH:
        raise ValueError("an e-mail address is needed")
    # Before the transaction: the hash takes a noticeable fraction of a second.
    password_hash = hash_password(password, services.settings.password_scrypt_cost)
    now = now_ms()
    with services.database.write() as conn:
        if not portal_store.portal_exists(conn, portal_id):
            raise UnknownPortal(portal_id)
        if store.email_taken(conn, portal_id, email):
            raise EmailTaken(email)
        user_id = store.user_id_for_email(conn, email) or store.next_user_id(conn)
        row = store.UserRow(portal_id, user_id, email, first_name, last_name, now, now, False)
        store.add_user(conn, row, password_hash)
        store.set_password_hash(conn, user_id, password_hash, now)
    return row


def list_users(services: Services, portal_id: int, archived: bool = False) -> list[store.UserRow]:
    """A portal's users, by user id (for the settings API and the CLI)."""
    with services.database.read() as conn:
        return store.list_users(conn, portal_id, archived)


def _signature(password_hash: str, user_id: int, expires: int, client_id: str, uri: str) -> str:
    key = hashlib.sha256(password_hash.encode()).digest()
    message = f"{user_id}\n{expires}\n{client_id}\n{uri}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sign_in(
    services: Services, email: str, password: str, client_id: str, redirect_uri: str
) -> SignedIn | None:
    """The user's portals and a consent ticket, or None for a wrong e-mail or password."""
    email = normalise_email(email)
    with services.database.read() as conn:
        memberships = store.memberships_by_email(conn, email)
        names = oauth_store.portal_names(conn, (m.portal_id for m in memberships))
    if not memberships:
        verify_password(password, dummy_hash())  # as slow as a real check: no e-mail oracle
        return None
    first = memberships[0]
    if not verify_password(password, first.password_hash):
        return None
    expires = int(time.time()) + TICKET_TTL_SECONDS
    signature = _signature(first.password_hash, first.user_id, expires, client_id, redirect_uri)
    portals = [(m.portal_id, names.get(m.portal_id, str(m.portal_id))) for m in memberships]
    return SignedIn(first.user_id, email, portals, f"{first.user_id}.{expires}.{signature}")


def approving_user(
    services: Services, ticket: str, portal_id: int, client_id: str, redirect_uri: str
) -> int:
    """The user id behind a valid ticket who belongs to ``portal_id``; else ConsentRefused."""
    try:
        user, expires_text, signature = ticket.split(".")
        user_id, expires = int(user), int(expires_text)
    except ValueError:
        raise ConsentRefused("no valid sign-in") from None
    if expires < time.time():
        raise ConsentRefused("the sign-in expired; sign in again")
    with services.database.read() as conn:
        member = store.membership(conn, portal_id, user_id)
    if member is None:
        raise ConsentRefused("you are not a user of that account")
    expected = _signature(member.password_hash, user_id, expires, client_id, redirect_uri)
    if not hmac.compare_digest(expected, signature):
        raise ConsentRefused("no valid sign-in")
    return user_id
