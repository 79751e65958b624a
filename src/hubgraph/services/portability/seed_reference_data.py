"""The ``owners`` and ``pipelines`` sections of a seed file, inside the seed's transaction.

    owners:
      - {id: 41629779, email: rep@example.com, firstName: Rea, lastName: Diaz,
         userId: 9001, type: PERSON, teams: [{name: West, primary: true}]}
    pipelines:
      tickets:
        - {id: escalations, label: Escalations, displayOrder: 1,
           stages: [{id: triage, label: Triage, metadata: {ticketState: OPEN}}]}

Every field but a pipeline's and a stage's ``label`` may be left out. Field names are
those of ``PublicOwner`` and ``PipelineInput`` (``id`` for ``pipelineId``/``stageId``).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection

from hubgraph.domain.pipelines import metadata_text
from hubgraph.errors import HubSpotError, UnknownObjectType
from hubgraph.services.context import Services
from hubgraph.services.owners.owners import OwnerInput, TeamInput, create_owner_in
from hubgraph.services.pipelines.catalog import pipeline_type
from hubgraph.services.pipelines.writes import PipelineInput, StageInput, create_pipeline_in
from hubgraph.services.portability.loading import rejected

OWNER_FIELDS = {"id", "email", "firstName", "lastName", "userId", "type", "teams"}
PIPELINE_FIELDS = {"id", "label", "displayOrder", "stages"}
STAGE_FIELDS = {"id", "label", "displayOrder", "metadata"}


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _number(where: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise rejected(where, f"{value!r} is not a number")
    return int(value)


def _owner(where: str, item: object) -> OwnerInput:
    if not isinstance(item, Mapping) or set(item) - OWNER_FIELDS:
        raise rejected(where, f"an owner is an object with {', '.join(sorted(OWNER_FIELDS))}")
    teams = item.get("teams") or []
    if not isinstance(teams, list) or not all(
        isinstance(t, Mapping) and "name" in t for t in teams
    ):
        raise rejected(f"{where}.teams", "must be a list of {name, primary?, id?}")
    return OwnerInput(
        email=_text(item.get("email")),
        first_name=_text(item.get("firstName")),
        last_name=_text(item.get("lastName")),
        user_id=_number(f"{where}.userId", item.get("userId")),
        type=str(item.get("type") or "PERSON"),
        teams=[
            TeamInput(str(t["name"]), bool(t.get("primary")), _text(t.get("id"))) for t in teams
        ],
        id=_number(f"{where}.id", item.get("id")),
    )


def seed_owners(conn: Connection, portal_id: int, items: object) -> list[int]:
    if not isinstance(items, list):
        raise rejected("owners", "must be a list of owners")
    made: list[int] = []
    for index, item in enumerate(items):
        where = f"owners[{index}]"
        owner = _owner(where, item)
        try:
            made.append(create_owner_in(conn, portal_id, owner).id)
        except HubSpotError as exc:
            raise rejected(where, exc.message) from None
    return made


def _stage(where: str, index: int, item: object) -> StageInput:
    if not isinstance(item, Mapping) or "label" not in item or set(item) - STAGE_FIELDS:
        raise rejected(where, f"a stage is an object with {', '.join(sorted(STAGE_FIELDS))}")
    metadata = item.get("metadata") or {}
    if not isinstance(metadata, Mapping):
        raise rejected(f"{where}.metadata", "must be an object")
    order = _number(f"{where}.displayOrder", item.get("displayOrder"))
    return StageInput(
        label=str(item["label"]),
        display_order=index if order is None else order,
        metadata={str(k): metadata_text(v) for k, v in metadata.items()},
        stage_id=_text(item.get("id")),
    )


def _pipeline(where: str, index: int, item: object) -> PipelineInput:
    if not isinstance(item, Mapping) or "label" not in item or set(item) - PIPELINE_FIELDS:
        fields = ", ".join(sorted(PIPELINE_FIELDS))
        raise rejected(where, f"a pipeline is an object with {fields}")
    stages = item.get("stages") or []
    if not isinstance(stages, list):
        raise rejected(f"{where}.stages", "must be a list of stages")
    order = _number(f"{where}.displayOrder", item.get("displayOrder"))
    return PipelineInput(
        label=str(item["label"]),
        display_order=index + 1 if order is None else order,
        stages=[_stage(f"{where}.stages[{i}]", i, s) for i, s in enumerate(stages)],
        pipeline_id=_text(item.get("id")),
    )


def seed_pipelines(
    services: Services, conn: Connection, portal_id: int, sections: object
) -> dict[str, list[str]]:
    """Pipelines per object type, added to that type's (default) pipelines."""
    if not isinstance(sections, Mapping):
        raise rejected("pipelines", "must map object types to lists of pipelines")
    made: dict[str, list[str]] = {}
    for type_name, items in sections.items():
        where = f"pipelines.{type_name}"
        try:
            object_type = pipeline_type(services, str(type_name))
        except (UnknownObjectType, HubSpotError) as exc:
            raise rejected(where, exc.message) from None
        if not isinstance(items, list):
            raise rejected(where, "must be a list of pipelines")
        for index, item in enumerate(items):
            given = _pipeline(f"{where}[{index}]", index, item)
            try:
                row = create_pipeline_in(conn, portal_id, object_type, given)
            except HubSpotError as exc:
                raise rejected(f"{where}[{index}]", exc.message) from None
            made.setdefault(object_type.id, []).append(row.id)
    return made
