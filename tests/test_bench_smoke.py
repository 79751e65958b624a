"""The benchmark runs end to end at its smallest scale (it is not itself a test of speed)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from bench.run import run, write


@pytest.mark.parametrize("db", ["sqlite"])
def test_bench_smoke_run_measures_every_scenario_beside_a_baseline(db: str, tmp_path: Path) -> None:
    report = run(db, "smoke", workers=1, profile=False, results=tmp_path)
    rows = {(r.scenario, r.measure): r for r in report.rows}
    throughput = next(r for r in report.rows if r.measure == "associations/s")
    assert throughput.figure > 0
    assert throughput.baseline is not None
    assert throughput.baseline > 0
    assert "failures" not in report.facts
    assert rows[("hubgraph serve start → healthy", "s")].figure > 0
    # Every single call is measured beside the same call on the floor app.
    singles = [
        r for r in report.rows if r.baseline_name == "floor app" and r.measure in ("p50", "p99")
    ]
    assert {r.scenario for r in singles} >= {
        "GET /_hubgraph/health (SELECT 1)",
        "GET /crm/v3/objects/contacts/{id}",
        "PUT …/associations/default/… (v4)",
        "GET list of 500 associations (v4)",
        "batch/read of 1,000 ids (v4)",
    }
    assert all(r.figure > 0 and r.ratio is not None and r.ratio > 0 for r in singles)
    written = orjson.loads(write(report, tmp_path).read_bytes())
    assert {"scenario", "figure", "baseline", "ratio"} <= written["rows"][0].keys()
