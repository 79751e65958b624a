"""The default PUT's common case written on the event loop, on SQLite only, and every
other case left to the general path with nothing written
(services/associations/default_writes.py ``create_default_one_on_loop``)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hubgraph.domain.association_types import Category
from hubgraph.domain.associations import Association
from hubgraph.domain.scopes import all_crm_scopes
from hubgraph.errors import HubSpotError
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations.default_writes import (
    create_default_one,
    create_default_one_on_loop,
)
from hubgraph.services.context import Services
from tests.support.association_schema import set_limits
from tests.support.associations_v4 import associated
from tests.support.locks import held_by_another_thread
from tests.support.portals import Portal

HD = Category.HUBSPOT_DEFINED


@dataclass(frozen=True)
class Pair:
    portal: Portal
    contact: str
    company: str
    principal: Principal

    def on_loop(self, services: Services, to_id: str | None = None) -> list[Association] | None:
        return create_default_one_on_loop(
            services, self.principal, "contacts", self.contact, "companies", to_id or self.company
        )

    def stored(self) -> dict[int, set[tuple[str, int, str | None]]]:
        return associated(self.portal, "contacts", self.contact, "companies")


@pytest.fixture
def pair(portal: Portal) -> Pair:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    return Pair(portal, contact, company, Principal(portal.id, frozenset(all_crm_scopes())))


@pytest.fixture
def sqlite(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL never writes on the loop (the first test checks it)")


def test_on_sqlite_a_live_pair_is_written_both_ways_and_again_unchanged(
    pair: Pair, services: Services, database_url: str
) -> None:
    rows = create_default_one_on_loop(
        services, pair.principal, "0-1", pair.contact, "COMPANY", pair.company
    )
    if database_url.startswith("postgresql"):
        assert rows is None  # PostgreSQL: the worker thread's path, always
        assert pair.stored() == {}
        return
    c, co = int(pair.contact), int(pair.company)
    expected = [
        Association("0-1", c, "0-2", co, HD, 279),
        Association("0-2", co, "0-1", c, HD, 280),
    ]
    assert rows == expected
    assert pair.stored() == {co: {("HUBSPOT_DEFINED", 279, None)}}
    assert associated(pair.portal, "companies", pair.company, "contacts") == {
        c: {("HUBSPOT_DEFINED", 280, None)}
    }
    # the same answer as the general path's, and again for a pair already associated
    general = create_default_one(
        services, pair.principal, "contacts", pair.contact, "companies", pair.company
    )
    assert general == expected
    assert pair.on_loop(services) == expected


@pytest.mark.usefixtures("sqlite")
def test_what_the_general_path_must_answer_writes_nothing_here(
    pair: Pair, services: Services
) -> None:
    [gone] = pair.portal.create_records("companies", 1)
    assert pair.portal.delete(f"/crm/v3/objects/companies/{gone}").status_code == 204
    for to_id in (gone, "424242424242", "0", "99999999999999999999"):
        assert pair.on_loop(services, to_id) is None
    unknown = create_default_one_on_loop(
        services, pair.principal, "p_unknown", pair.contact, "companies", pair.company
    )
    assert unknown is None
    assert pair.stored() == {}


@pytest.mark.usefixtures("sqlite")
def test_a_custom_limit_between_the_types_leaves_it_to_the_general_path(
    pair: Pair, services: Services
) -> None:
    # a limit the other way round counts too: the limited path checks both directions
    limit = set_limits(pair.portal, "companies", "contacts", [("HUBSPOT_DEFINED", 280, 5)])
    assert limit.status_code == 201
    assert pair.on_loop(services) is None
    assert pair.stored() == {}


@pytest.mark.usefixtures("sqlite")
def test_a_missing_scope_raises_as_the_general_path_does(pair: Pair, services: Services) -> None:
    reader = Principal(pair.portal.id, frozenset({"crm.objects.deals.read"}))
    with pytest.raises(HubSpotError) as here:
        create_default_one_on_loop(
            services, reader, "contacts", pair.contact, "companies", pair.company
        )
    with pytest.raises(HubSpotError) as general:
        create_default_one(services, reader, "contacts", pair.contact, "companies", pair.company)
    assert (type(here.value), str(here.value)) == (type(general.value), str(general.value))


@pytest.mark.usefixtures("sqlite")
def test_a_busy_writer_leaves_it_to_the_worker_thread(pair: Pair, services: Services) -> None:
    writer = services.database._writer
    assert writer is not None
    with held_by_another_thread(writer):
        assert pair.on_loop(services) is None
    assert pair.stored() == {}
    assert pair.on_loop(services) is not None  # free again
