"""``batch/read`` through the balancer and pgbouncer (transaction pooling): its chunks'
statements are pipelined on one connection (store/driver.statement_pipeline), which
pgbouncer must carry as one transaction until the pipeline's end."""

from __future__ import annotations

from hubspot.crm.associations.v4 import (
    BatchInputPublicDefaultAssociationMultiPost,
    BatchInputPublicFetchAssociationsBatchRequest,
    PublicDefaultAssociationMultiPost,
    PublicFetchAssociationsBatchRequest,
    PublicObjectId,
)
from hubspot.crm.objects import (
    BatchInputSimplePublicObjectBatchInputForCreate,
    SimplePublicObjectBatchInputForCreate,
)

from hubgraph.services.associations.reads import FIRST_CHUNK
from tests.support.cluster import ClusterPortal


def create(portal: ClusterPortal, object_type: str, count: int) -> list[str]:
    inputs = [SimplePublicObjectBatchInputForCreate(properties={}) for _ in range(count)]
    batch = BatchInputSimplePublicObjectBatchInputForCreate(inputs=inputs)
    created = portal.sdk().crm.objects.batch_api.create(object_type, batch)
    return sorted((r.id for r in created.results), key=int)


def test_a_read_of_several_chunks_answers_every_input(portal: ClusterPortal) -> None:
    contacts = create(portal, "contacts", FIRST_CHUNK + 10)
    companies = create(portal, "companies", 3)
    v4 = portal.sdk().crm.associations.v4.batch_api
    pairs = [(c, companies[k]) for n, c in enumerate(contacts) for k in range(n % 4)]
    v4.create_default(
        "contacts",
        "companies",
        BatchInputPublicDefaultAssociationMultiPost(
            inputs=[
                PublicDefaultAssociationMultiPost(
                    _from=PublicObjectId(id=f), to=PublicObjectId(id=t)
                )
                for f, t in pairs
            ]
        ),
    )
    asked = [*contacts, "987654321"]
    page = v4.get_page(
        "contacts",
        "companies",
        BatchInputPublicFetchAssociationsBatchRequest(
            inputs=[PublicFetchAssociationsBatchRequest(id=c) for c in asked]
        ),
    )
    found = {r._from.id: sorted(str(t.to_object_id) for t in r.to) for r in page.results}
    expected: dict[str, list[str]] = {}
    for f, t in pairs:
        expected.setdefault(f, []).append(t)
    assert found == {f: sorted(ts) for f, ts in expected.items()}
    assert sorted(e.context["fromObjectId"][0] for e in page.errors) == sorted(
        c for c in asked if c not in expected
    )
