"""``GET /_hubgraph/metrics``: Prometheus's format, what it counts, who may read it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from hubgraph.app import create_app
from hubgraph.services.context import Services
from tests.support.portals import Portal

BATCH_CREATE = "/crm/v3/objects/{objectType}/batch/create"
ASSOCIATE = "/crm/v4/associations/contacts/companies/batch/associate/default"


def scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/_hubgraph/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def delta(before: dict, after: dict, name: str, **labels: str) -> float:  # type: ignore[type-arg]
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def test_requests_batches_and_associations_are_counted(client: TestClient, portal: Portal) -> None:
    before = scrape(client)
    inputs = [{"properties": {"email": f"{i}@x.io"}} for i in range(3)]
    created = portal.post("/crm/v3/objects/contacts/batch/create", json={"inputs": inputs})
    [company] = portal.post(
        "/crm/v3/objects/companies/batch/create", json={"inputs": [{"properties": {}}]}
    ).json()["results"]
    pairs = [
        {"from": {"id": c["id"]}, "to": {"id": company["id"]}} for c in created.json()["results"]
    ]
    assert portal.post(ASSOCIATE, json={"inputs": pairs}).status_code == 200
    portal.get("/crm/v3/objects/contacts/123456789")  # a 404, by its template
    client.get("/no/such/route")
    after = scrape(client)

    requests = "hubgraph_http_requests_total"
    assert delta(before, after, requests, route=BATCH_CREATE, method="POST", status="201") == 2
    template = "/crm/v3/objects/{objectType}/{objectId}"
    assert delta(before, after, requests, route=template, method="GET", status="404") == 1
    assert delta(before, after, requests, route="unmatched", method="GET", status="404") == 1
    seconds = "hubgraph_http_request_duration_seconds_count"
    assert delta(before, after, seconds, route=BATCH_CREATE, method="POST") == 2
    assert delta(before, after, "hubgraph_batch_inputs_sum", route=BATCH_CREATE) == 4
    assert delta(before, after, "hubgraph_batch_inputs_count", route=BATCH_CREATE) == 2
    assert delta(before, after, "hubgraph_association_rows_written_total") == 6  # both ways
    assert ("hubgraph_db_pool_connections_in_use", ()) in after


def test_rate_limit_refusals_are_counted(client: TestClient, portal: Portal) -> None:
    limits = {"tier": "free", "tenSecondlyMax": 1}
    assert client.put(f"/_hubgraph/portals/{portal.id}/rate-limits", json=limits).status_code == 200
    before = scrape(client)
    statuses = [portal.post(ASSOCIATE, json={"inputs": []}).status_code for _ in range(3)]
    after = scrape(client)
    assert statuses == [200, 429, 429]
    name = "hubgraph_rate_limit_refusals_total"
    assert delta(before, after, name, policy="TEN_SECONDLY_ROLLING") == 2


def test_metrics_follow_the_control_planes_access_rules(services: Services) -> None:
    remote = TestClient(create_app(services.settings, services), client=("203.0.113.9", 40000))
    with remote:
        assert remote.get("/_hubgraph/metrics").status_code == 403
