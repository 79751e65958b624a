"""The options of a type's pipeline and stage properties, read from its pipelines.

For the Properties API (the object-model work): ``GET /crm/v3/properties/deals/dealstage``
lists the portal's live stages as options, ``pipeline`` its live pipelines. A stage's
option label names its pipeline, ``Appointment Scheduled (Sales Pipeline)``, as a public
dump of HubSpot's deal properties shows; the same form for other types is UNCONFIRMED.
``hubspot_owner_id`` has no options here: HubSpot marks it ``externalOptions`` (owners).
"""

from __future__ import annotations

from dataclasses import dataclass

from hubgraph.domain.pipelines import has_pipelines, record_properties
from hubgraph.services.context import Services
from hubgraph.services.pipelines.catalog import live_pipelines, live_stages, load


@dataclass(frozen=True, slots=True)
class PropertyOption:
    """``Option``: what a Properties API enumeration lists."""

    label: str
    value: str
    display_order: int
    hidden: bool = False
    description: str = ""


def pipeline_property_options(
    services: Services, portal_id: int, object_type_id: str
) -> dict[str, list[PropertyOption]]:
    """``{pipeline property: options, stage property: options}``; ``{}`` for a type
    without pipelines."""
    if not has_pipelines(object_type_id):
        return {}
    with services.database.read() as conn:
        pipelines = live_pipelines(load(conn, portal_id, object_type_id))
    names = record_properties(object_type_id)
    stages = [
        PropertyOption(f"{s.label} ({p.label})", s.id, s.display_order)
        for p in pipelines
        for s in live_stages(p)
    ]
    return {
        names.pipeline: [PropertyOption(p.label, p.id, p.display_order) for p in pipelines],
        names.stage: stages,
    }
