"""Checking the values of a record's pipeline, stage and owner properties.

HubSpot refuses a stage that is not a stage of the record's pipeline with
``INVALID_OPTION`` and a message that lists the pipeline's stages (observed:
``registered is not a valid pipeline stage ID. Valid options are: pipelineId=default :
[appointmentscheduled, …, closedlost]``), and an owner id that is not a number with
``INVALID_INTEGER`` ``… was not a valid integer (for owner ID).`` (observed). An unknown
pipeline or owner is reported as an enumeration value that is not an option
(``INVALID_OPTION``, ``… was not one of the allowed options: […]``): both properties
are enumerations whose options are the portal's pipelines and owners (UNCONFIRMED).

Every invalid property of a request is listed in one 400, as HubSpot's
``Property values were not valid`` envelope (shared/reference/hubspot-crm-objects.md §2.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import orjson

from hubgraph.domain.pipelines import record_properties
from hubgraph.errors import ValidationError

OWNER_PROPERTY = "hubspot_owner_id"
# Owner ids are int32 in the Owners v3 spec (ownerId path parameter).
_MAX_OWNER_ID = 2**31 - 1


@dataclass(frozen=True, slots=True)
class PropertyError:
    name: str
    code: str
    message: str
    value: str | None = None


@dataclass(frozen=True, slots=True)
class PipelineOptions:
    """A portal's live pipelines of one object type: id → its live stage ids, in order."""

    stages: Mapping[str, tuple[str, ...]]

    def pipeline_of(self, stage_id: str) -> str | None:
        for pipeline_id, stage_ids in self.stages.items():
            if stage_id in stage_ids:
                return pipeline_id
        return None


def check_pipeline(
    object_type_id: str,
    options: PipelineOptions,
    sent: Mapping[str, str | None],
    current: Mapping[str, str | None] | None,
) -> list[PropertyError]:
    """The errors of the pipeline and stage a write leaves the record with.

    Only a write that sends the pipeline or the stage is checked. The pipeline is the one
    sent, else the record's, else (a new record) the one the stage belongs to.
    """
    names = record_properties(object_type_id)
    if not sent.get(names.pipeline) and not sent.get(names.stage):
        return []
    before = current or {}
    pipeline_id = sent.get(names.pipeline) or before.get(names.pipeline)
    stage_id = sent.get(names.stage) if names.stage in sent else before.get(names.stage)
    if not pipeline_id and stage_id:
        pipeline_id = options.pipeline_of(stage_id)
    errors: list[PropertyError] = []
    if pipeline_id and pipeline_id not in options.stages:
        listed = ", ".join(options.stages)
        errors.append(
            PropertyError(
                names.pipeline,
                "INVALID_OPTION",
                f"{pipeline_id} was not one of the allowed options: [{listed}]",
                pipeline_id,
            )
        )
        return errors
    if pipeline_id and stage_id and stage_id not in options.stages[pipeline_id]:
        listed = ", ".join(options.stages[pipeline_id])
        errors.append(
            PropertyError(
                names.stage,
                "INVALID_OPTION",
                f"{stage_id} is not a valid pipeline stage ID. Valid options are: "
                f"pipelineId={pipeline_id} : [{listed}]",
                stage_id,
            )
        )
    return errors


def parse_owner_id(value: str) -> int | None:
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or int(text) > _MAX_OWNER_ID:
        return None
    return int(text)


def check_owner(value: str | None, owner_ids: set[int]) -> list[PropertyError]:
    """``hubspot_owner_id`` must name one of the portal's live owners; "" clears it."""
    if not value:
        return []
    owner_id = parse_owner_id(value)
    if owner_id is None:
        return [
            PropertyError(
                OWNER_PROPERTY,
                "INVALID_INTEGER",
                f"{value} was not a valid integer (for owner ID).",
                value,
            )
        ]
    if owner_id not in owner_ids:
        listed = ", ".join(str(i) for i in sorted(owner_ids))
        return [
            PropertyError(
                OWNER_PROPERTY,
                "INVALID_OPTION",
                f"{value} was not one of the allowed options: [{listed}]",
                value,
            )
        ]
    return []


def property_values_error(portal_id: int, errors: list[PropertyError]) -> ValidationError:
    """HubSpot's ``Property values were not valid: [...]`` 400, one entry per property."""
    entries = [
        {
            "isValid": False,
            "message": e.message,
            "error": e.code,
            "name": e.name,
            "localizedErrorMessage": e.message,
            "portalId": portal_id,
        }
        for e in errors
    ]
    return ValidationError(
        "Property values were not valid: " + orjson.dumps(entries).decode(),
        errors=[
            {"message": e.message, "code": e.code, "context": {"propertyName": [e.name]}}
            for e in errors
        ],
    )
