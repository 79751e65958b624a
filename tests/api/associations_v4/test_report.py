"""POST /crm/v4/associations/usage/high-usage-report/{userId}, and the kept report."""

from __future__ import annotations

from datetime import datetime

from hubgraph.domain.association_types import Category
from hubgraph.services.context import Services
from tests.support.associations_v4 import add_limit, with_scopes
from tests.support.portals import Portal

URL = "/crm/v4/associations/usage/high-usage-report/{}"
KEPT = "/_hubgraph/reports/high-usage/{}"


def associate(portal: Portal, company: str, contacts: list[str]) -> None:
    body = {"inputs": [{"from": {"id": company}, "to": {"id": c}} for c in contacts]}
    response = portal.post(
        "/crm/v4/associations/companies/contacts/batch/associate/default", json=body
    )
    assert response.status_code == 200


def test_answers_200_report_creation_response(portal: Portal) -> None:
    response = portal.post(URL.format(77))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"userId", "userEmail", "enqueueTime"}
    assert body["userId"] == 77
    assert isinstance(body["userEmail"], str)
    assert body["enqueueTime"].endswith("Z")
    datetime.fromisoformat(body["enqueueTime"].replace("Z", "+00:00"))


def test_the_report_lists_records_at_80_percent_of_a_limit(
    portal: Portal, services: Services
) -> None:
    at_80, at_60 = portal.create_records("companies", 2)
    contacts = portal.create_records("contacts", 4)
    add_limit(services, portal, "0-2", "0-1", Category.HUBSPOT_DEFINED, 280, 5)
    associate(portal, at_80, contacts)
    associate(portal, at_60, contacts[:3])
    assert portal.get(KEPT.format(9)).status_code == 404
    created = portal.post(URL.format(9)).json()
    response = portal.get(KEPT.format(9))
    assert response.status_code == 200
    report = response.json()
    assert report["userId"] == 9
    assert report["enqueueTime"] == created["enqueueTime"]
    assert report["records"] == [
        {
            "objectTypeId": "0-2",
            "objectId": int(at_80),
            "toObjectTypeId": "0-1",
            "category": "HUBSPOT_DEFINED",
            "typeId": 280,
            "associatedCount": 4,
            "limit": 5,
            "percentOfLimit": 80.0,
        }
    ]


def test_a_new_request_replaces_the_users_report(portal: Portal, services: Services) -> None:
    [company] = portal.create_records("companies", 1)
    contacts = portal.create_records("contacts", 2)
    add_limit(services, portal, "0-2", "0-1", Category.HUBSPOT_DEFINED, 280, 2)
    portal.post(URL.format(5))
    assert portal.get(KEPT.format(5)).json()["records"] == []
    associate(portal, company, contacts)
    portal.post(URL.format(5))
    assert [r["objectId"] for r in portal.get(KEPT.format(5)).json()["records"]] == [int(company)]


def test_reports_are_per_portal(portal: Portal, other_portal: Portal) -> None:
    portal.post(URL.format(3))
    assert other_portal.get(KEPT.format(3)).status_code == 404


def test_a_user_id_that_is_not_an_int32_is_a_400(portal: Portal) -> None:
    for bad in ("abc", "0", str(2**31)):
        response = portal.post(URL.format(bad))
        assert response.status_code == 400
        assert response.json()["category"] == "VALIDATION_ERROR"


def test_needs_a_token_with_a_crm_scope(portal: Portal, services: Services) -> None:
    assert portal.client.post(URL.format(1)).status_code == 401
    assert with_scopes(services, portal, ["oauth"]).post(URL.format(1)).status_code == 403
