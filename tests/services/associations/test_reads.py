"""batch/read's inputs read in chunks (services/associations/reads.batch_read_chunks)."""

from __future__ import annotations

from contextlib import closing

from hubgraph.domain.scopes import all_crm_scopes
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations import reads
from hubgraph.services.context import Services
from tests.support.associations_v4 import associate_many
from tests.support.portals import Portal


def test_chunks_answer_every_input_in_order_and_each_once(
    portal: Portal, services: Services
) -> None:
    contacts = portal.create_records("contacts", 30)
    companies = portal.create_records("companies", 3)
    for n, contact in enumerate(contacts):
        if n % 4:
            associate_many(portal, contact, companies[: n % 4])
    inputs = [(c, None) for c in contacts] + [(contacts[5], None), ("not-an-id", None)]
    principal = Principal(portal.id, frozenset(all_crm_scopes()))
    chunks = list(reads.batch_read_chunks(services, principal, "contacts", "companies", inputs))
    assert len(chunks) == 2  # the first FIRST_CHUNK inputs, then the rest
    assert [raw for c in chunks for raw, _ in c.results] == [
        c for n, c in enumerate(contacts) if n % 4
    ]
    assert [e.context["fromObjectId"] for c in chunks for e in c.errors] == [
        [c] for n, c in enumerate(contacts) if not n % 4
    ] + [["not-an-id"]]
    rows_per_contact = {
        str(f): sum(1 for r in c.pages.rows if r[0] == f) for c in chunks for _, f in c.results
    }
    assert rows_per_contact == {c: n % 4 for n, c in enumerate(contacts) if n % 4}


def test_stopped_early_the_connection_goes_back_to_the_pool(
    portal: Portal, services: Services
) -> None:
    inputs = [(str(900_000 + n), None) for n in range(reads.FIRST_CHUNK + 5)]
    principal = Principal(portal.id, frozenset(all_crm_scopes()))
    pool = services.database.engine.pool
    before = pool.checkedout()  # type: ignore[attr-defined]
    chunks = reads.batch_read_chunks(services, principal, "contacts", "companies", inputs)
    with closing(chunks):
        first = next(chunks)  # the second chunk is in flight now
        assert len(first.errors) == reads.FIRST_CHUNK
    assert pool.checkedout() == before  # type: ignore[attr-defined]
