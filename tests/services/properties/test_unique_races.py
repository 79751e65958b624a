"""Two writers claiming one email at once: exactly one gets it (both databases).

The claim is ``INSERT … ON CONFLICT DO NOTHING`` on ``unique_values``' key; on PostgreSQL
the second insert waits for the first transaction and then sees its row.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from hubgraph.domain.scopes import all_crm_scopes
from hubgraph.errors import ObjectAlreadyExists
from hubgraph.services.access.portals import Principal
from hubgraph.services.context import Services
from hubgraph.services.records import creation
from tests.support.portals import Portal

RACERS = 8


def test_concurrent_creates_of_one_email_make_one_contact(
    services: Services, portal: Portal
) -> None:
    principal = Principal(portal.id, frozenset(all_crm_scopes()))

    def create(_: int) -> str:
        item = creation.ObjectInput({"email": "race@example.com"})
        try:
            return str(creation.create_one(services, principal, "contacts", item).row.id)
        except ObjectAlreadyExists as conflict:
            return f"409:{conflict.existing_id}"

    with ThreadPoolExecutor(RACERS) as pool:
        outcomes = list(pool.map(create, range(RACERS)))
    winners = [o for o in outcomes if not o.startswith("409:")]
    assert len(winners) == 1
    assert {o for o in outcomes if o.startswith("409:")} == {f"409:{winners[0]}"}
    listed = portal.get("/crm/v3/objects/contacts").json()["results"]
    assert [r["id"] for r in listed] == winners
