"""``PublicUser`` and ``PublicTeam``, as HubSpot's user provisioning spec names them."""

from __future__ import annotations

from typing import Any

from hubgraph.services.owners.users import Team, User


def public_user(user: User) -> dict[str, Any]:
    body: dict[str, Any] = {"id": user.id, "email": user.email}
    if user.first_name is not None:
        body["firstName"] = user.first_name
    if user.last_name is not None:
        body["lastName"] = user.last_name
    body["roleIds"] = []
    if user.primary_team_id is not None:
        body["primaryTeamId"] = user.primary_team_id
    body["secondaryTeamIds"] = user.secondary_team_ids
    body["superAdmin"] = False
    return body


def public_team(team: Team) -> dict[str, Any]:
    return {
        "id": team.id,
        "name": team.name,
        "userIds": team.user_ids,
        "secondaryUserIds": team.secondary_user_ids,
    }
