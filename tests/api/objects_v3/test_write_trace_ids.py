"""``objectWriteTraceId`` comes back on each written record (spec ``SimplePublicObject``)."""

from __future__ import annotations

from tests.support.portals import Portal


def _spec(type_id: int) -> dict[str, object]:
    return {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}


def test_batch_create_results_carry_their_inputs_trace_ids(portal: Portal) -> None:
    (company,) = portal.create_records("companies", 1)
    inputs = [
        {"properties": {"firstname": "a"}, "objectWriteTraceId": "trace-a"},
        {
            "properties": {"firstname": "bad"},
            "objectWriteTraceId": "trace-bad",
            "associations": [{"to": {"id": "1"}, "types": [_spec(279)]}],
        },
        {"properties": {"firstname": "untraced"}},
        {
            "properties": {"firstname": "c"},
            "objectWriteTraceId": "trace-c",
            "associations": [{"to": {"id": company}, "types": [_spec(279)]}],
        },
    ]
    response = portal.post("/crm/v3/objects/contacts/batch/create", json={"inputs": inputs})
    assert response.status_code == 207
    results = response.json()["results"]
    assert [(r["properties"]["firstname"], r.get("objectWriteTraceId")) for r in results] == [
        ("a", "trace-a"),
        ("untraced", None),
        ("c", "trace-c"),
    ]
    assert "objectWriteTraceId" not in results[1]


def test_batch_update_results_carry_their_inputs_trace_ids(portal: Portal) -> None:
    first, second = portal.create_records("contacts", 2)
    inputs = [
        {"id": second, "properties": {"firstname": "2"}, "objectWriteTraceId": "u-2"},
        {"id": first, "properties": {"firstname": "1"}},
    ]
    response = portal.post("/crm/v3/objects/contacts/batch/update", json={"inputs": inputs})
    assert response.status_code == 200
    traces = {r["id"]: r.get("objectWriteTraceId") for r in response.json()["results"]}
    assert traces == {second: "u-2", first: None}


def test_reads_never_carry_a_trace_id(portal: Portal) -> None:
    response = portal.post(
        "/crm/v3/objects/contacts/batch/create",
        json={"inputs": [{"properties": {}, "objectWriteTraceId": "t"}]},
    )
    record_id = response.json()["results"][0]["id"]
    assert "objectWriteTraceId" not in portal.get(f"/crm/v3/objects/contacts/{record_id}").json()
