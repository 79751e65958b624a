from __future__ import annotations

from hubgraph.domain.association_types import hubspot_defined_types
from hubgraph.domain.label_type_ids import next_free_run, reserved_type_ids


def test_every_hubspot_defined_id_is_reserved_in_both_directions() -> None:
    catalog = list(hubspot_defined_types())
    assert {t.type_id for t in catalog} | {t.inverse_type_id for t in catalog} == set(
        reserved_type_ids()
    )
    assert {1, 2, 279, 280} <= reserved_type_ids()


def test_runs_are_consecutive_and_skip_hubspots_ids() -> None:
    assert next_free_run(1, 2) == [7, 8]
    assert next_free_run(12, 2) == [17, 18]  # 13-16 are HubSpot's
    assert next_free_run(7, 1) == [7]
    for start in range(1, 400):
        run = next_free_run(start, 2)
        assert run[1] == run[0] + 1
        assert run[0] >= start
        assert not set(run) & reserved_type_ids()
