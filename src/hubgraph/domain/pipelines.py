"""Pipelines and their stages: which object types have them, the ones every portal starts
with, and the rules a stage's ``metadata`` follows (Pipelines v3 spec, ``PipelineStage``).

A pipeline belongs to one object type; its stages' ids are unique within the object type
(a deal's ``dealstage`` alone names its pipeline's stage). The record properties that hold
them are ``pipeline``/``dealstage`` on deals and ``hs_pipeline``/``hs_pipeline_stage`` on
every other object type with pipelines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files

from hubgraph.errors import ValidationError

DEALS = "0-3"
TICKETS = "0-5"

# HubSpot's pipelines guide: deals, tickets, appointments, courses, listings, orders,
# services, leads, and custom objects (``2-…``).
_PIPELINE_TYPE_IDS = frozenset(
    {DEALS, TICKETS, "0-421", "0-410", "0-420", "0-123", "0-162", "0-136"}
)

TICKET_STATES = ("OPEN", "CLOSED")


def has_pipelines(object_type_id: str) -> bool:
    return object_type_id in _PIPELINE_TYPE_IDS or object_type_id.startswith("2-")


@dataclass(frozen=True, slots=True)
class RecordProperties:
    """The record properties that carry a record's pipeline and its stage."""

    pipeline: str
    stage: str


def record_properties(object_type_id: str) -> RecordProperties:
    if object_type_id == DEALS:
        return RecordProperties("pipeline", "dealstage")
    return RecordProperties("hs_pipeline", "hs_pipeline_stage")


@dataclass(frozen=True, slots=True)
class StageSpec:
    id: str
    label: str
    display_order: int
    metadata: dict[str, str]


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    id: str
    label: str
    display_order: int
    stages: tuple[StageSpec, ...]


@cache
def _defaults() -> dict[str, tuple[PipelineSpec, ...]]:
    raw = json.loads(files("hubgraph.domain").joinpath("data/default_pipelines.json").read_text())
    return {
        type_id: tuple(
            PipelineSpec(
                id=p["id"],
                label=p["label"],
                display_order=p["displayOrder"],
                stages=tuple(
                    StageSpec(s["id"], s["label"], s["displayOrder"], dict(s["metadata"]))
                    for s in p["stages"]
                ),
            )
            for p in pipelines
        )
        for type_id, pipelines in raw["pipelines"].items()
    }


def default_pipelines(object_type_id: str) -> tuple[PipelineSpec, ...]:
    """The pipelines a portal has for this type before anyone changed them."""
    return _defaults().get(object_type_id, ())


def metadata_text(value: object) -> str:
    """Metadata values are strings in the spec; the docs send ``{"probability": 0.5}``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def stage_metadata(object_type_id: str, sent: dict[str, str]) -> dict[str, str]:
    """A stage's metadata as stored: checked, with ``isClosed`` derived where HubSpot has it.

    Deals need ``probability`` between 0.0 and 1.0; a stage at 0.0 or 1.0 is closed (the
    default pipeline's closedlost and closedwon). Tickets take an optional ``ticketState``
    (OPEN when left out); a CLOSED stage is closed. The messages are UNCONFIRMED.
    """
    metadata = dict(sent)
    if object_type_id == DEALS:
        raw = metadata.get("probability")
        if raw is None:
            raise ValidationError("Deal stages require a probability in their metadata")
        try:
            probability = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(f"{raw} is not a valid probability") from None
        if not Decimal(0) <= probability <= Decimal(1):
            raise ValidationError(f"probability {raw} must be between 0.0 and 1.0")
        metadata.setdefault("isClosed", "true" if probability in (0, 1) else "false")
    elif object_type_id == TICKETS:
        state = metadata.setdefault("ticketState", "OPEN")
        if state not in TICKET_STATES:
            raise ValidationError(f"ticketState {state} must be one of: OPEN, CLOSED")
        metadata.setdefault("isClosed", "true" if state == "CLOSED" else "false")
    return metadata
