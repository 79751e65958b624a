"""``PublicOwner`` and its page, as HubSpot's Owners v3 spec names them."""

from __future__ import annotations

from typing import Any

from hubgraph.services.clock import iso
from hubgraph.services.owners.owners import Owner


def public_owner(owner: Owner) -> dict[str, Any]:
    """``PublicOwner``; ``teams`` only when the owner is on one, as HubSpot sends it."""
    body: dict[str, Any] = {"id": str(owner.id)}
    if owner.email is not None:
        body["email"] = owner.email
    body["type"] = owner.type
    if owner.first_name is not None:
        body["firstName"] = owner.first_name
    if owner.last_name is not None:
        body["lastName"] = owner.last_name
    if owner.user_id is not None:
        body["userId"] = owner.user_id
        body["userIdIncludingInactive"] = owner.user_id
    body["createdAt"] = iso(owner.created_at)
    body["updatedAt"] = iso(owner.updated_at)
    body["archived"] = owner.archived_at is not None
    if owner.teams:
        body["teams"] = [
            {"id": str(t["id"]), "name": str(t["name"]), "primary": bool(t["primary"])}
            for t in owner.teams
        ]
    return body
