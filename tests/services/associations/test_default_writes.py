"""The default PUT's common case written on the event loop, on both databases, and every
other case left to the general path with nothing written
(services/associations/default_writes.py ``create_default_one_on_loop``)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
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
from tests.support.listeners import FixedListeners
from tests.support.locks import held_by_another_thread
from tests.support.portals import Portal

HD = Category.HUBSPOT_DEFINED


@dataclass(frozen=True)
class Pair:
    portal: Portal
    contact: str
    company: str
    principal: Principal

    def on_loop(
        self,
        services: Services,
        to_id: str | None = None,
        from_type: str = "contacts",
        to_type: str = "companies",
        principal: Principal | None = None,
    ) -> list[Association] | None:
        principal = principal or self.principal
        return on_loop(services, principal, from_type, self.contact, to_type, to_id or self.company)

    def stored(self) -> dict[int, set[tuple[str, int, str | None]]]:
        return associated(self.portal, "contacts", self.contact, "companies")


def on_loop(
    services: Services, principal: Principal, from_type: str, from_id: str, to_type: str, to_id: str
) -> list[Association] | None:
    """``create_default_one_on_loop`` on a loop of its own, as an app's lifespan binds one
    (PostgreSQL's loop connections serve only a bound loop)."""

    async def run() -> list[Association] | None:
        pool = services.database.loop_reads
        if pool is not None:
            pool.bind()
        try:
            return await create_default_one_on_loop(
                services, principal, from_type, from_id, to_type, to_id
            )
        finally:
            if pool is not None:
                await pool.close()

    return asyncio.run(run())


@pytest.fixture(autouse=True)
def unheard(services: Services) -> Iterator[None]:
    """No app listens to changes (other tests' webhook subscriptions may be active in this
    database: then every write takes the journaled path)."""
    listening, services.database.listening = services.database.listening, FixedListeners(False)
    yield
    services.database.listening = listening


@pytest.fixture
def pair(portal: Portal) -> Pair:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    return Pair(portal, contact, company, Principal(portal.id, frozenset(all_crm_scopes())))


@pytest.fixture
def sqlite(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's writer lock")


def test_a_live_pair_is_written_both_ways_and_again_unchanged(
    pair: Pair, services: Services
) -> None:
    rows = pair.on_loop(services, from_type="0-1", to_type="COMPANY")
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


def test_what_the_general_path_must_answer_writes_nothing_here(
    pair: Pair, services: Services
) -> None:
    [gone] = pair.portal.create_records("companies", 1)
    assert pair.portal.delete(f"/crm/v3/objects/companies/{gone}").status_code == 204
    for to_id in (gone, "424242424242", "0", "99999999999999999999"):
        assert pair.on_loop(services, to_id) is None
    assert pair.on_loop(services, from_type="p_unknown") is None
    assert pair.stored() == {}


def test_a_custom_limit_between_the_types_leaves_it_to_the_general_path(
    pair: Pair, services: Services
) -> None:
    # a limit the other way round counts too: the limited path checks both directions
    limit = set_limits(pair.portal, "companies", "contacts", [("HUBSPOT_DEFINED", 280, 5)])
    assert limit.status_code == 201
    assert pair.on_loop(services) is None
    assert pair.stored() == {}


def test_a_missing_scope_raises_as_the_general_path_does(pair: Pair, services: Services) -> None:
    reader = Principal(pair.portal.id, frozenset({"crm.objects.deals.read"}))
    with pytest.raises(HubSpotError) as here:
        pair.on_loop(services, principal=reader)
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


def test_while_an_app_may_listen_to_changes_it_is_left_to_the_general_path(
    pair: Pair, services: Services
) -> None:
    """The general path journals its writes for app webhooks; this one does not."""
    services.database.listening = FixedListeners(None)
    assert pair.on_loop(services) is None  # not known without reading the database
    services.database.listening = FixedListeners(True)
    assert pair.on_loop(services) is None
    assert pair.stored() == {}
    services.database.listening = FixedListeners(False)
    assert pair.on_loop(services) is not None
