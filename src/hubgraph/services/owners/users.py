"""Users and teams (Settings users v3), read from the portal's owners.

Every live owner with a user id is a user; the teams its ``teams`` name are the portal's
teams, its primary team first. Users carry no roles here (``roleIds`` is empty and
``superAdmin`` false): hubgraph has no permission sets to give them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hubgraph.domain.scopes import TEAMS_READ_SCOPES, USERS_READ_SCOPES
from hubgraph.errors import ObjectNotFound, ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.context import Services
from hubgraph.services.owners.owners import parse_after
from hubgraph.store import owners as owner_store
from hubgraph.store.owners import OwnerRow

DEFAULT_LIMIT = 100
MAX_LIMIT = 100
ID_PROPERTIES = ("USER_ID", "EMAIL")


@dataclass(frozen=True, slots=True)
class User:
    id: str
    email: str
    first_name: str | None
    last_name: str | None
    primary_team_id: str | None
    secondary_team_ids: list[str]


@dataclass(slots=True)
class Team:
    id: str
    name: str
    user_ids: list[str] = field(default_factory=list)
    secondary_user_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class UserPage:
    users: list[User]
    next_after: str | None


def _user(owner: OwnerRow) -> User:
    primary = next((str(t["id"]) for t in owner.teams if t.get("primary")), None)
    return User(
        id=str(owner.user_id),
        email=owner.email or "",
        first_name=owner.first_name,
        last_name=owner.last_name,
        primary_team_id=primary,
        secondary_team_ids=[str(t["id"]) for t in owner.teams if not t.get("primary")],
    )


def list_users(
    services: Services, principal: Principal, *, after: str | None = None, limit: int = 100
) -> UserPage:
    principal.require_any(USERS_READ_SCOPES)
    size = max(1, min(limit, MAX_LIMIT))
    with services.database.read() as conn:
        rows = owner_store.users(
            conn, principal.portal_id, after=parse_after(after), limit=size + 1
        )
    more = len(rows) > size
    rows = rows[:size]
    return UserPage([_user(o) for o in rows], str(rows[-1].user_id) if more else None)


def get_user(
    services: Services, principal: Principal, raw_id: str, id_property: str | None = None
) -> User:
    """By user id (the default) or, with ``idProperty=EMAIL``, by e-mail address."""
    principal.require_any(USERS_READ_SCOPES)
    prop = id_property or "USER_ID"
    if prop not in ID_PROPERTIES:
        raise ValidationError(
            f"idProperty must be one of {', '.join(ID_PROPERTIES)}, not {id_property}"
        )
    with services.database.read() as conn:
        live = owner_store.all_live_owners(conn, principal.portal_id)
    for owner in live:
        if owner.user_id is None:
            continue
        if (prop == "USER_ID" and str(owner.user_id) == raw_id) or (
            prop == "EMAIL" and (owner.email or "").lower() == raw_id.lower()
        ):
            return _user(owner)
    raise ObjectNotFound(f"No user with {prop} {raw_id}")


def list_teams(services: Services, principal: Principal) -> list[Team]:
    """Every team a live user is on: its primary members, then its secondary ones."""
    principal.require_any(TEAMS_READ_SCOPES)
    with services.database.read() as conn:
        live = owner_store.all_live_owners(conn, principal.portal_id)
    teams: dict[str, Team] = {}
    for owner in live:
        for t in owner.teams:
            team = teams.setdefault(str(t["id"]), Team(str(t["id"]), str(t["name"])))
            if owner.user_id is None:
                continue
            members = team.user_ids if t.get("primary") else team.secondary_user_ids
            members.append(str(owner.user_id))
    return list(teams.values())
