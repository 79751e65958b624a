"""Every non-2xx answer is HubSpot's envelope with a correlation id, header and body alike."""

from __future__ import annotations

import uuid

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from tests.support.portals import Portal

SEED = "/crm/v4/associations/contacts/companies/batch/associate/default"


def assert_envelope(response: httpx.Response, status: int, category: str) -> dict:  # type: ignore[type-arg]
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json;charset=utf-8"
    body = response.json()
    assert body["status"] == "error"
    assert body["category"] == category
    assert isinstance(body["message"], str)
    assert body["message"]
    assert str(uuid.UUID(body["correlationId"])) == body["correlationId"]
    assert response.headers["X-HubSpot-Correlation-Id"] == body["correlationId"]
    return body


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic abc",
        "Bearer pat-na1-00000000-0000-0000-0000-000000000000",
    ],
)
def test_missing_or_unknown_token_is_401(client: TestClient, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.post(SEED, json={"inputs": []}, headers=headers)
    body = assert_envelope(response, 401, "INVALID_AUTHENTICATION")
    assert body["message"].startswith("Authentication credentials not found.")


def test_unknown_route_is_404_envelope(portal: Portal) -> None:
    assert_envelope(portal.get("/crm/v4/nothing/here"), 404, "OBJECT_NOT_FOUND")


def test_wrong_method_is_405_envelope(portal: Portal) -> None:
    assert_envelope(portal.get(SEED), 405, "VALIDATION_ERROR")


def test_wrong_query_type_is_400_envelope(portal: Portal) -> None:
    assert_envelope(portal.get("/crm/v3/objects/contacts?limit=abc"), 400, "VALIDATION_ERROR")


def test_success_responses_carry_a_correlation_id_too(client: TestClient) -> None:
    response = client.get("/_hubgraph/health")
    assert response.status_code == 200
    uuid.UUID(response.headers["X-HubSpot-Correlation-Id"])


def test_body_over_the_limit_is_413(portal: Portal) -> None:
    huge = b'{"inputs": [' + b'{"from": {"id": "1"}, "to": {"id": "2"}},' * 300_000 + b"]}"
    assert_envelope(
        portal.post(SEED, content=huge, headers={"Content-Type": "application/json"}),
        413,
        "VALIDATION_ERROR",
    )


def test_health_reports_the_database(client: TestClient) -> None:
    body = client.get("/_hubgraph/health").json()
    assert body["status"] == "ok"
    assert body["database"] is True


@pytest.mark.parametrize(
    ("path", "item", "limit"),
    [
        (
            "/crm/v4/associations/contacts/companies/batch/create",
            b'{"from":{"id":"1"},"to":{"id":"2"},"types":[]}',
            2000,
        ),
        ("/crm/v4/associations/contacts/companies/batch/read", b'{"id":"1"}', 1000),
        (
            "/crm/v4/associations/contacts/companies/batch/archive",
            b'{"from":{"id":"1"},"to":[]}',
            2000,
        ),
        (
            "/crm/associations/v4/definitions/configurations/contacts/companies/batch/create",
            b'{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":5}',
            2000,
        ),
        ("/crm/v3/objects/contacts/batch/read", b'{"id":"1"}', 100),
    ],
)
def test_every_batch_refuses_a_big_body_over_its_input_limit(
    portal: Portal, path: str, item: bytes, limit: int
) -> None:
    # Over 1 MB, so the inputs are counted before they are validated (api/body.read_batch).
    count = max(limit + 1, (1 << 20) // len(item) + 1)
    body = b'{"inputs":[' + b",".join([item] * count) + b"]}"
    response = portal.post(path, content=body, headers={"Content-Type": "application/json"})
    payload = assert_envelope(response, 400, "VALIDATION_ERROR")
    assert payload["message"].startswith(
        f"The maximum number of inputs supported in a batch is {limit}."
    )
