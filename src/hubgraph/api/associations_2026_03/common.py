"""The one response shape 2026-03 adds: ``BatchResponse`` where v4 answers 204."""

from __future__ import annotations

from starlette.responses import Response

from hubgraph.api.http.common import batch_response


def completed_batch(started_ms: int) -> Response:
    """200 with an empty, COMPLETE ``BatchResponse``: the spec types ``results`` as opaque
    objects and no example shows any, so none are invented (docs/compat.md)."""
    return batch_response([], [], started_ms)
