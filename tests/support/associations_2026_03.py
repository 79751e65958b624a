"""Paths of the 2026-03 API and the v4 ones the same data is checked through."""

from __future__ import annotations

from typing import Any

from tests.support.portals import Portal

V4 = "/crm/v4/associations"
DATED = "/crm/associations/2026-03"
V4_OBJECTS = "/crm/v4/objects"
DATED_OBJECTS = "/crm/objects/2026-03"
# The schema API's v4 prefix as the current spec names it (reference §2).
V4_SCHEMA = "/crm/associations/v4"


def assert_completed_batch(response: Any) -> None:
    """The 2026-03 ``BatchResponse`` where v4 answers 204 (reference §1.12)."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json;charset=utf-8"
    body = response.json()
    assert set(body) == {"status", "results", "startedAt", "completedAt"}
    assert body["status"] == "COMPLETE"
    assert body["results"] == []
    assert body["startedAt"] <= body["completedAt"]


def to_ids(portal: Portal, objects: str, from_type: str, from_id: str, to_type: str) -> set[int]:
    """The ``toObjectId``s GET list answers under ``objects`` (v4's or 2026-03's prefix)."""
    response = portal.get(f"{objects}/{from_type}/{from_id}/associations/{to_type}")
    assert response.status_code == 200, response.text
    return {r["toObjectId"] for r in response.json()["results"]}
