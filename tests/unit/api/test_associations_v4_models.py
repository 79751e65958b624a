"""The bulk renderer writes exactly what orjson writes for the per-row renderer."""

from __future__ import annotations

import orjson

from hubgraph.api.associations_v4.models import (
    public_default_association,
    public_default_associations_json,
)
from hubgraph.domain.association_types import Category
from hubgraph.domain.associations import Association


def test_bulk_rendering_is_byte_identical_to_rendering_each_row() -> None:
    rows = [
        Association("0-1", 9_223_372_036_854_775_807, "0-2", 7, Category.HUBSPOT_DEFINED, 279),
        Association("0-2", 7, "0-1", 1, Category.USER_DEFINED, 3),
        Association("2-123", 5, "0-3", 6, Category.INTEGRATOR_DEFINED, 12),
    ]
    one_by_one = orjson.dumps({"results": [public_default_association(r) for r in rows]})
    assert orjson.dumps({"results": public_default_associations_json(rows)}) == one_by_one


def test_no_rows_render_an_empty_list() -> None:
    assert orjson.dumps({"results": public_default_associations_json([])}) == b'{"results":[]}'
