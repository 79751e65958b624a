"""Creating records through the official SDK."""

from __future__ import annotations

from hubspot import Client
from hubspot.crm.objects import (
    BatchInputSimplePublicObjectBatchInputForCreate,
    SimplePublicObjectBatchInputForCreate,
)

from tests.support.records import named


def create_records(sdk: Client, object_type: str, count: int) -> list[str]:
    batch = BatchInputSimplePublicObjectBatchInputForCreate(
        inputs=[
            SimplePublicObjectBatchInputForCreate(properties=named(object_type, f"n{i}"))
            for i in range(count)
        ]
    )
    response = sdk.crm.objects.batch_api.create(object_type, batch)
    return [r.id for r in response.results]
