"""POST /crm/associations/2026-03/usage/high-usage-report/{userId}"""

from __future__ import annotations

from tests.support.associations_2026_03 import DATED
from tests.support.portals import Portal


def test_answers_200_report_creation_response_and_keeps_the_report(portal: Portal) -> None:
    response = portal.post(f"{DATED}/usage/high-usage-report/41")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"userId", "userEmail", "enqueueTime"}
    assert body["userId"] == 41
    kept = portal.get("/_hubgraph/reports/high-usage/41")
    assert kept.status_code == 200
    assert kept.json()["enqueueTime"] == body["enqueueTime"]


def test_a_non_integer_user_id_is_400(portal: Portal) -> None:
    response = portal.post(f"{DATED}/usage/high-usage-report/abc")
    assert response.status_code == 400
    assert response.json()["status"] == "error"
