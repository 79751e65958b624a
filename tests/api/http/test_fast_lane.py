"""The fast lane takes only a hot route's well-formed shape; everything else reaches FastAPI,
and what it answers is what FastAPI's route for the path answers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from hubgraph.api.http.fast_lane import (
    ANY,
    DIGITS,
    FastLane,
    FastRoute,
    PathParams,
    QueryParams,
)
from hubgraph.errors import ObjectNotFound
from tests.support.portals import Portal


async def framework(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse("framework")(scope, receive, send)


async def hot(request: Request, path: PathParams, query: QueryParams) -> Response:
    if path["id"] == "404":
        raise ObjectNotFound()
    return PlainTextResponse(f"lane {path['kind']} {path['id']} {sorted(query.items())}")


@pytest.fixture
def lane() -> TestClient:
    route = FastRoute(
        "GET",
        "/crm/v3/things/{kind}/{id}",
        hot,
        numeric=frozenset({"id"}),
        query={"limit": DIGITS, "tag": ANY},
        repeated=frozenset({"tag"}),
    )
    return TestClient(FastLane(framework, [route]))


def test_the_hot_shape_takes_the_lane(lane: TestClient) -> None:
    assert lane.get("/crm/v3/things/a/12").text == "lane a 12 []"
    answer = lane.get("/crm/v3/things/a/12?limit=5&tag=x&tag=y").text
    assert answer == "lane a 12 [('limit', ['5']), ('tag', ['x', 'y'])]"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/crm/v3/things/a/x12"),  # a non-numeric id
        ("GET", "/crm/v3/things/a/12/"),  # a trailing slash
        ("GET", "/crm/v3/things/a/12/more"),
        ("GET", "/crm/v3/other/a/12"),  # another fixed segment
        ("GET", "/crm/v3/things/a/12?limit=five"),  # a value outside its pattern
        ("GET", "/crm/v3/things/a/12?limit=1&limit=2"),  # repeated, not a list
        ("GET", "/crm/v3/things/a/12?unknown=1"),
        ("POST", "/crm/v3/things/a/12"),  # another method
    ],
)
def test_every_other_shape_goes_to_the_framework(lane: TestClient, method: str, path: str) -> None:
    assert lane.request(method, path).text == "framework"


def test_a_hubspot_error_in_the_lane_is_the_envelope(lane: TestClient) -> None:
    response = lane.get("/crm/v3/things/a/404")
    assert response.status_code == 404
    assert response.json()["category"] == "OBJECT_NOT_FOUND"


def test_lane_and_framework_answer_a_record_read_alike(portal: Portal) -> None:
    (contact,) = portal.create_records("contacts", 1)
    lane = portal.get(f"/crm/v3/objects/contacts/{contact}?archived=false")
    # "False" is a boolean to FastAPI but not to the lane's pattern: the framework answers.
    framework = portal.get(f"/crm/v3/objects/contacts/{contact}?archived=False")
    assert lane.status_code == framework.status_code == 200
    assert lane.json() == framework.json()
    assert lane.headers["X-HubSpot-Correlation-Id"]


def test_lane_errors_carry_the_correlation_id_and_the_envelope(portal: Portal) -> None:
    missing = portal.get("/crm/v3/objects/contacts/999999999")
    assert missing.status_code == 404
    assert missing.json()["correlationId"] == missing.headers["X-HubSpot-Correlation-Id"]
    unauthenticated = portal.client.get("/crm/v3/objects/contacts/1")
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["category"] == "INVALID_AUTHENTICATION"
