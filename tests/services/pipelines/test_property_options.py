"""Options of the pipeline and stage properties, for the Properties API."""

from __future__ import annotations

from hubgraph.services.context import Services
from hubgraph.services.pipelines.property_options import pipeline_property_options
from tests.support.portals import Portal


def test_deal_options_follow_the_pipelines(services: Services, portal: Portal) -> None:
    portal.post(
        "/crm/v3/pipelines/deals",
        json={
            "label": "Renewals",
            "displayOrder": 1,
            "stages": [{"label": "Due", "displayOrder": 0, "metadata": {"probability": "0.5"}}],
        },
    )
    options = pipeline_property_options(services, portal.id, "0-3")
    assert [(o.value, o.label) for o in options["pipeline"]] == [
        ("default", "Sales Pipeline"),
        (options["pipeline"][1].value, "Renewals"),
    ]
    stages = options["dealstage"]
    assert (stages[0].value, stages[0].label) == (
        "appointmentscheduled",
        "Appointment Scheduled (Sales Pipeline)",
    )
    assert stages[-1].label == "Due (Renewals)"
    assert pipeline_property_options(services, portal.id, "0-1") == {}
    ticket = pipeline_property_options(services, portal.id, "0-5")
    assert [o.value for o in ticket["hs_pipeline_stage"]] == ["1", "2", "3", "4"]
