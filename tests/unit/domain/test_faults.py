"""Which requests a fault hits, and which faults can exist."""

from __future__ import annotations

import pytest

from hubgraph.domain.faults import Fault, InvalidFault


def test_route_is_a_glob_whose_star_spans_slashes() -> None:
    fault = Fault(id="f", route="/crm/v4/*", status=503)
    assert fault.matches(1, "POST", "/crm/v4/associations/contacts/companies/batch/read")
    assert not fault.matches(1, "POST", "/crm/v3/objects/contacts")


def test_method_and_portal_narrow_a_fault() -> None:
    fault = Fault(id="f", route="/crm/*", method="GET", portal_id=7, status=503)
    assert fault.matches(7, "get", "/crm/v3/objects/contacts/1")
    assert not fault.matches(7, "POST", "/crm/v3/objects/contacts")
    assert not fault.matches(8, "GET", "/crm/v3/objects/contacts/1")


def test_round_trips_through_json() -> None:
    fault = Fault(id="f", route="/crm/*", portal_id=3, status=429, latency_ms=5, count=2)
    assert Fault.from_json(fault.to_json()) == fault


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"status": 418},
        {"status": 503, "rate": 1.5},
        {"latency_ms": 120_000},
        {"status": 503, "count": -1},
    ],
)
def test_faults_that_cannot_be(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidFault):
        Fault(id="f", route="/crm/*", **kwargs)  # type: ignore[arg-type]
