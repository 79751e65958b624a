"""Two first pipeline changes of a portal at once: the defaults are stored exactly once.

The first change stores the default pipelines under a row lock on the portal
(PostgreSQL), so a second writer waits and then sees them stored; without the lock both
would insert the defaults and one would fail on the primary key. SQLite runs one writer
at a time, so there the test shows the same outcome without any overlap.
"""

from __future__ import annotations

import threading

from hubgraph.domain.scopes import all_crm_scopes
from hubgraph.services.access.portals import Principal
from hubgraph.services.context import Services
from hubgraph.services.pipelines import reads, writes
from tests.support.portals import Portal


def test_concurrent_first_writes_store_the_defaults_once(
    services: Services, portal: Portal
) -> None:
    principal = Principal(portal.id, frozenset(all_crm_scopes()))
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def create(n: int) -> None:
        start.wait()
        try:
            writes.create_pipeline(
                services,
                principal,
                "deals",
                writes.PipelineInput(
                    f"P{n}", n, [writes.StageInput("Only", 0, {"probability": "0.5"})]
                ),
            )
        except BaseException as exc:  # the test reports any failure
            failures.append(exc)

    threads = [threading.Thread(target=create, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert failures == []
    found = reads.get_all(services, principal, "deals").pipelines
    assert sorted(p.label for p in found) == ["P0", "P1", "P2", "P3", "Sales Pipeline"]
