"""The principal cache never serves an OAuth token past its expiry."""

from __future__ import annotations

import time

from hubgraph.api.http.deps import PrincipalCache
from hubgraph.services.access.portals import Principal


def test_cached_principal_is_dropped_once_its_token_expires() -> None:
    cache = PrincipalCache()
    now_ms = int(time.time() * 1000)
    live = Principal(1, frozenset(), expires_at_ms=now_ms + 60_000)
    dead = Principal(1, frozenset(), expires_at_ms=now_ms - 1)
    cache.put("Bearer live", live)
    cache.put("Bearer dead", dead)
    assert cache.get("Bearer live") is live
    assert cache.get("Bearer dead") is None
