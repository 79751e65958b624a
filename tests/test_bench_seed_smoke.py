"""``python -m bench.seed`` alternates the raw driver and the server over the same rows
(it is not itself a test of speed)."""

from __future__ import annotations

from pathlib import Path

from bench.scales import SCALES
from bench.seed import measure


def test_every_slice_is_written_by_both_sides(tmp_path: Path) -> None:
    scale = SCALES[("sqlite", "smoke")]
    result = measure("sqlite", "smoke", workers=1, slices=3, results=tmp_path)
    assert result.raw.total.failures == []
    assert result.api.total.failures == []
    assert [p.count for p in result.raw.parts] == [p.count for p in result.api.parts]
    assert len(result.raw.parts) == 3
    assert result.raw.total.count == result.api.total.count == scale.measured
    assert len(result.slice_ratios()) == 3
    assert result.ratio > 0
    assert result.api.cpu_ms_per_1000 > 0
