"""Owners of a portal: created through hubgraph (CLI, control plane, seed files), read
through Owners v3 (``GET /crm/v3/owners/``, ``GET /crm/v3/owners/{ownerId}``).

HubSpot makes an owner for every user (``type: PERSON``, with a ``userId``) and for
queues (``type: QUEUE``, no user). Owner ids and user ids come from the portal's id
counter, so they never equal a record id of the same portal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection

from hubgraph.domain.pipeline_values import parse_owner_id
from hubgraph.domain.scopes import OWNERS_READ_SCOPES
from hubgraph.errors import ObjectNotFound, ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.store import owners as owner_store
from hubgraph.store import portals as portal_store
from hubgraph.store.owners import OwnerRow

# What the API renders (``PublicOwner``): the stored row itself.
Owner = OwnerRow

OWNER_TYPES = ("PERSON", "QUEUE")
# The spec's default page; HubSpot's maximum for owners is UNCONFIRMED (Singer's tap
# asks for 500), so larger limits are served as 500.
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
ID_PROPERTIES = ("id", "userId")


@dataclass(frozen=True, slots=True)
class TeamInput:
    name: str
    primary: bool = False
    id: str | None = None


@dataclass(frozen=True, slots=True)
class OwnerInput:
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    user_id: int | None = None
    type: str = "PERSON"
    teams: list[TeamInput] = field(default_factory=list)
    id: int | None = None
    """An owner id to keep (a fixture copied from HubSpot); a new one when None."""


@dataclass(frozen=True, slots=True)
class OwnerPage:
    owners: list[OwnerRow]
    next_after: str | None


def create_owner(services: Services, portal_id: int, owner: OwnerInput) -> OwnerRow:
    with services.database.write() as conn:
        if not portal_store.portal_exists(conn, portal_id):
            raise ObjectNotFound(f"There is no portal {portal_id}")
        return create_owner_in(conn, portal_id, owner)


def create_owner_in(conn: Connection, portal_id: int, owner: OwnerInput) -> OwnerRow:
    """One owner, inside the caller's transaction (seed files create many in one)."""
    if owner.type not in OWNER_TYPES:
        raise ValidationError(f"Owner type must be one of {', '.join(OWNER_TYPES)}: {owner.type}")
    if owner.email and owner_store.email_taken(conn, portal_id, owner.email):
        raise ValidationError(f"An owner with email {owner.email} already exists")
    if owner.user_id is not None and owner_store.find_owner(conn, portal_id, user_id=owner.user_id):
        raise ValidationError(f"An owner with userId {owner.user_id} already exists")
    if owner.id is not None and (
        parse_owner_id(str(owner.id)) is None
        or owner_store.find_owner(conn, portal_id, owner_id=owner.id) is not None
    ):
        raise ValidationError(f"An owner with id {owner.id} already exists or is not an int32")
    for chosen in (owner.id, owner.user_id):
        if chosen is not None:
            portal_store.reserve_id(conn, portal_id, chosen)
    allocated, new_user_id = portal_store.allocate_object_ids(conn, portal_id, 2)
    owner_id = owner.id if owner.id is not None else allocated
    user_id = owner.user_id
    if user_id is None and owner.type == "PERSON":
        user_id = new_user_id
    now = now_ms()
    row = OwnerRow(
        id=owner_id,
        user_id=user_id,
        email=owner.email,
        first_name=owner.first_name,
        last_name=owner.last_name,
        type=owner.type,
        teams=_teams(conn, portal_id, owner.teams),
        created_at=now,
        updated_at=now,
        archived_at=None,
    )
    owner_store.insert_owner(conn, portal_id, row)
    return row


def _teams(conn: Connection, portal_id: int, teams: list[TeamInput]) -> list[dict[str, object]]:
    """Each team as ``{id, name, primary}``; a team named before keeps its id.

    The first team is primary when none is marked (an owner with teams has one primary).
    """
    if not teams:
        return []
    known = {
        str(t["name"]): str(t["id"])
        for o in owner_store.all_live_owners(conn, portal_id)
        for t in o.teams
    }
    rendered: list[dict[str, object]] = []
    for team in teams:
        team_id = team.id or known.get(team.name)
        if team_id is None:
            (allocated,) = portal_store.allocate_object_ids(conn, portal_id, 1)
            team_id = str(allocated)
            known[team.name] = team_id
        rendered.append({"id": team_id, "name": team.name, "primary": team.primary})
    if not any(t["primary"] for t in rendered):
        rendered[0]["primary"] = True
    return rendered


def archive_owner(services: Services, portal_id: int, owner_id: int) -> None:
    """A deactivated user: the owner stays readable with ``archived=true``."""
    if parse_owner_id(str(owner_id)) is None:
        raise ObjectNotFound(f"There is no live owner {owner_id}")
    with services.database.write() as conn:
        if not owner_store.archive_owner(conn, portal_id, owner_id, now_ms()):
            raise ObjectNotFound(f"There is no live owner {owner_id}")


def parse_after(after: str | None) -> int:
    """A paging cursor of these endpoints: the last id of the page before (an int32)."""
    if not after:
        return 0
    number = parse_owner_id(after)
    if number is None:
        raise ValidationError(f"Invalid after: {after} is not a paging cursor of this endpoint")
    return number


def list_owners(
    services: Services,
    principal: Principal,
    *,
    after: str | None = None,
    limit: int = DEFAULT_LIMIT,
    email: str | None = None,
    archived: bool = False,
) -> OwnerPage:
    """A page of owners in id order; ``after`` is the last id of the page before."""
    principal.require_any(OWNERS_READ_SCOPES)
    size = max(1, min(limit, MAX_LIMIT))
    with services.database.read() as conn:
        rows = owner_store.page_of_owners(
            conn,
            principal.portal_id,
            archived=archived,
            after=parse_after(after),
            limit=size + 1,
            email=email or None,
        )
    more = len(rows) > size
    rows = rows[:size]
    return OwnerPage(rows, str(rows[-1].id) if more else None)


def get_owner(
    services: Services,
    principal: Principal,
    raw_id: str,
    *,
    id_property: str | None = None,
    archived: bool = False,
) -> OwnerRow:
    """By owner id (``idProperty=id``, the default) or by user id; 404 when none."""
    principal.require_any(OWNERS_READ_SCOPES)
    prop = id_property or "id"
    if prop not in ID_PROPERTIES:
        raise ValidationError(
            f"idProperty must be one of {', '.join(ID_PROPERTIES)}, not {id_property}"
        )
    number = parse_owner_id(raw_id)
    if number is None:
        # The spec types ownerId as an int32.
        raise ValidationError(f"Invalid ownerId: {raw_id} is not a 32-bit integer")
    with services.database.read() as conn:
        found = owner_store.find_owner(
            conn,
            principal.portal_id,
            owner_id=number if prop == "id" else None,
            user_id=number if prop == "userId" else None,
        )
    if found is None or (found.archived_at is not None) != archived:
        raise ObjectNotFound(f"No owner with {prop} {raw_id}")
    return found
