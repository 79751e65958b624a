"""How much data each scale loads, per database."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    contacts: int
    companies: int
    # Associations stored by the bulk loader before anything is measured.
    preload: int
    # Associations written by the raw-driver baseline, then as many through the API.
    measured: int
    batch_inputs: int = 2000
    clients: int = 4
    latency_requests: int = 1000


SCALES: dict[tuple[str, str], Scale] = {
    # A few seconds: checks that every part runs (used by a test).
    ("sqlite", "smoke"): Scale("smoke", 3_000, 700, 0, 20_000, 500, 2, 50),
    ("postgresql", "smoke"): Scale("smoke", 3_000, 700, 10_000, 20_000, 500, 2, 50),
    # A minute or so: for comparing a change before and after.
    ("sqlite", "quick"): Scale("quick", 100_000, 10_000, 0, 200_000, latency_requests=300),
    ("postgresql", "quick"): Scale(
        "quick", 100_000, 10_000, 200_000, 200_000, latency_requests=300
    ),
    # The SQLite goal is "empty -> 1M associations" at either scale.
    ("sqlite", "small"): Scale("small", 200_000, 20_000, 0, 1_000_000),
    ("sqlite", "full"): Scale("full", 200_000, 20_000, 0, 1_000_000),
    ("postgresql", "small"): Scale("small", 400_000, 40_000, 2_000_000, 500_000),
    ("postgresql", "full"): Scale("full", 1_000_000, 100_000, 10_000_000, 1_000_000),
}
