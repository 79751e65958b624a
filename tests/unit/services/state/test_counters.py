"""The in-process counters: a rolling window per app, a daily count per account."""

from __future__ import annotations

from hubgraph.services.state.counters import Admission, MemoryCounters


def test_the_window_refuses_past_its_maximum() -> None:
    counters = MemoryCounters()
    got = [counters.admit("app", 2, 10_000, None, None) for _ in range(3)]
    assert got == [
        Admission(None, 1, 0),
        Admission(None, 2, 0),
        Admission("TEN_SECONDLY_ROLLING", 2, 0),
    ]


def test_the_window_rolls() -> None:
    counters = MemoryCounters()
    # A zero-length window has forgotten every earlier call by the next one.
    assert [counters.admit("app", 1, 0, None, None).refused_by for _ in range(3)] == [None] * 3


def test_the_daily_count_is_shared_and_checked_first() -> None:
    counters = MemoryCounters()
    assert counters.admit("app-a", 5, 10_000, "day", 2) == Admission(None, 1, 1)
    assert counters.admit("app-b", 5, 10_000, "day", 2) == Admission(None, 1, 2)
    assert counters.admit("app-a", 5, 10_000, "day", 2).refused_by == "DAILY"
