"""Owners made through the control plane, as a test suite sets a portal up."""

from __future__ import annotations

from typing import Any

from tests.support.portals import Portal


def create_owner(portal: Portal, **fields: Any) -> dict[str, Any]:
    """``POST /_hubgraph/portals/{id}/owners``; the new ``PublicOwner``."""
    response = portal.client.post(f"/_hubgraph/portals/{portal.id}/owners", json=fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
