"""Listing portals, tokens and OAuth apps, and revoking a private-app token."""

from __future__ import annotations

import re

from hubgraph.services.access.portals import hash_token
from hubgraph.services.context import Services
from hubgraph.store import inventory
from hubgraph.store.inventory import AppSummary, PortalSummary, TokenSummary

__all__ = ["AppSummary", "PortalSummary", "TokenSummary", "UnknownToken"]

_HEX = re.compile(r"^[0-9a-f]{8,64}$")


class UnknownToken(LookupError):
    """No token, or more than one, matches what was given; the message says which."""


def list_portals(services: Services) -> list[PortalSummary]:
    with services.database.read() as conn:
        return inventory.list_portals(conn)


def list_tokens(services: Services, portal_id: int | None = None) -> list[TokenSummary]:
    with services.database.read() as conn:
        return inventory.list_tokens(conn, portal_id)


def list_apps(services: Services) -> list[AppSummary]:
    with services.database.read() as conn:
        return inventory.list_apps(conn)


def revoke_token(services: Services, token_or_fingerprint: str) -> str:
    """Delete one private-app token, named by itself or by its fingerprint; its fingerprint.

    A server that saw the token in the last few seconds may accept it that much longer
    (the principal cache, api/http/deps.py).
    """
    given = token_or_fingerprint.strip()
    with services.database.write() as conn:
        if given.startswith("pat-"):
            matches = inventory.token_hashes_starting(conn, hash_token(given))
        elif _HEX.match(given):
            matches = inventory.token_hashes_starting(conn, given)
        else:
            raise UnknownToken(f"{given!r} is neither a token (pat-…) nor a fingerprint (hex)")
        if len(matches) != 1:
            found = "no token" if not matches else f"{len(matches)} tokens"
            raise UnknownToken(f"{found} with fingerprint {given[:16]!r}")
        inventory.delete_token(conn, matches[0])
    return matches[0][: inventory.FINGERPRINT_LENGTH]
