"""The search bench runs end to end at a tiny scale (it is not itself a test of speed)."""

from __future__ import annotations

from bench.search import run_search, scenarios


def test_bench_search_smoke_measures_every_scenario() -> None:
    report = run_search("sqlite", contacts=200, requests=3, workers=1)
    measured = {(r.scenario, r.measure) for r in report.rows}
    for name in scenarios(200, 0):
        assert {(name, "p50"), (name, "p99"), (name, "server CPU / request")} <= measured
    assert all(r.figure > 0 for r in report.rows if r.measure in ("p50", "p99"))
    assert report.facts["contacts"] == 200
