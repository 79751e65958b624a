"""The benchmark runs end to end at its smallest scale (it is not itself a test of speed)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from bench.data import HUB_ASSOCIATIONS
from bench.run import SEED_ROUNDS, run, write
from bench.scales import SCALES

from tests.support.portals import postgres_admin


@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
def test_bench_smoke_run_measures_every_scenario_beside_a_baseline(db: str, tmp_path: Path) -> None:
    if db == "postgresql":
        postgres_admin().close()  # skipped without PostgreSQL (failed in CI)
    report = run(db, "smoke", workers=1, profile=False, results=tmp_path)
    rows = {(r.scenario, r.measure): r for r in report.rows}
    throughput = next(r for r in report.rows if r.measure == "associations/s")
    assert throughput.figure > 0
    assert throughput.baseline is not None
    assert throughput.baseline > 0
    assert "failures" not in report.facts
    assert rows[("hubgraph serve start → healthy", "s")].figure > 0
    # The raw driver and the endpoint took turns, each writing every measured association.
    scale = SCALES[(db, "smoke")]
    assert f"{SEED_ROUNDS} rounds each, alternated" in throughput.baseline_name
    assert throughput.note.endswith(
        f"{scale.preload + HUB_ASSOCIATIONS + 2 * scale.measured:,} stored"
        if db == "postgresql"
        else f"empty → {scale.measured:,} stored"
    )
    if db == "postgresql":  # what competed with the seed for the disk is on record
        assert len(report.facts["seed step: autovacuums, checkpoints"]) == 2
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
