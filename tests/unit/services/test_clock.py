"""``iso`` renders HubSpot's timestamp form exactly as ``datetime.strftime`` did before it
was made faster (and memoized)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from hubgraph.services.clock import iso

# year 1 to year 9999, as datetime can render them
_FIRST_MS = -62_135_596_800_000
_LAST_MS = 253_402_300_799_999


def _by_strftime(epoch_ms: int) -> str:
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"


@given(st.integers(min_value=_FIRST_MS, max_value=_LAST_MS))
def test_iso_matches_strftime(epoch_ms: int) -> None:
    assert iso(epoch_ms) == _by_strftime(epoch_ms)


def test_iso_at_the_edges_of_a_second() -> None:
    assert iso(0) == "1970-01-01T00:00:00.000Z"
    assert iso(-1) == "1969-12-31T23:59:59.999Z"
    assert iso(1_729_542_162_152) == "2024-10-21T20:22:42.152Z"
