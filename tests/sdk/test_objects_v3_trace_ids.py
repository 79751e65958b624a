"""The SDK's batch create hands each record back with the trace id its input carried."""

from __future__ import annotations

from hubspot import Client
from hubspot.crm.objects import (
    BatchInputSimplePublicObjectBatchInputForCreate,
    SimplePublicObjectBatchInputForCreate,
)


def test_batch_create_results_map_to_inputs_by_trace_id(sdk: Client) -> None:
    inputs = [
        SimplePublicObjectBatchInputForCreate(
            properties={"firstname": name}, associations=[], object_write_trace_id=f"t-{name}"
        )
        for name in ("a", "b")
    ]
    response = sdk.crm.objects.batch_api.create(
        "contacts", BatchInputSimplePublicObjectBatchInputForCreate(inputs=inputs)
    )
    assert {(r.object_write_trace_id, r.properties["firstname"]) for r in response.results} == {
        ("t-a", "a"),
        ("t-b", "b"),
    }
