"""What the contract fuzzer found once it reached success with real data (issue 12), each
kept as a plain test on both databases."""

from __future__ import annotations

from urllib.parse import quote

from tests.support.live import LivePortal


def test_a_pipeline_id_outside_latin1_gets_a_percent_encoded_location(
    live_portal: LivePortal,
) -> None:
    # Was a 500: the new id went into the Location header as it came (headers are Latin-1).
    chosen = "-A\U0001cd6d\u00a5s"
    stage = {"label": "Open", "displayOrder": 0, "metadata": {"probability": "0.5"}}
    body = {"label": "Fuzzed", "displayOrder": 1, "pipelineId": chosen, "stages": [stage]}
    with live_portal.client() as http:
        created = http.post("/crm/pipelines/2026-03/deals", json=body)
        assert created.status_code == 201, created.text
        new_id = created.json()["id"]
        assert created.headers["Location"].endswith("/" + quote(new_id, safe=""))
        assert (
            http.get(f"/crm/pipelines/2026-03/deals/{quote(new_id, safe='')}").json()["id"]
            == new_id
        )
