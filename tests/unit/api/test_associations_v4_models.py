"""The bulk renderer writes exactly what orjson writes for the per-row renderer."""

from __future__ import annotations

from typing import Any

import orjson

from hubgraph.api.associations_v4.models import (
    batch_read_results_json,
    pages_json,
    public_default_association,
    public_default_associations_json,
    public_default_written_json,
)
from hubgraph.domain.association_types import Category, hubspot_defined_types
from hubgraph.domain.associations import Association
from hubgraph.services.associations.default_writes import WrittenPairs
from hubgraph.services.associations.reads import PageRows, encode_cursor
from hubgraph.store.association_pages import PageRow


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


def _written(from_type: str, to_type: str, pairs: list[tuple[int, int]]) -> WrittenPairs:
    types = hubspot_defined_types()
    forward = types.default_for(from_type, to_type)
    assert forward is not None
    backward = types.get(Category.HUBSPOT_DEFINED, forward.inverse_type_id)
    assert backward is not None
    return WrittenPairs(from_type, to_type, forward, backward, pairs)


def test_pairs_render_byte_identical_to_rendering_each_row() -> None:
    written = _written("0-1", "0-2", [(9_223_372_036_854_775_807, 7), (1, 2), (7, 1)])
    one_by_one = orjson.dumps({"results": [public_default_association(r) for r in written.rows()]})
    assert orjson.dumps({"results": public_default_written_json(written)}) == one_by_one
    assert orjson.dumps({"results": public_default_written_json([])}) == b'{"results":[]}'


def test_pairs_of_one_object_type_render_each_row_once() -> None:
    # contact -> contact: (1, 2) and (2, 1) write the same two rows when the type is its
    # own inverse; the rendering follows the rows, as it did before pairs existed.
    written = _written("0-1", "0-1", [(1, 2), (2, 1)])
    rows = written.rows()
    expected = orjson.dumps([public_default_association(r) for r in rows])
    assert orjson.dumps(public_default_written_json(written)) == expected


def _spec(category: Category, type_id: int, label: str | None) -> dict[str, Any]:
    """``AssociationSpecWithLabel`` as the spec names it; unlabeled → ``null``."""
    return {"category": category.value, "typeId": type_id, "label": label}


def _target(to_id: int, *types: dict[str, Any]) -> dict[str, Any]:
    """``MultiAssociatedObjectWithLabel``: ``toObjectId`` a JSON number."""
    return {"toObjectId": to_id, "associationTypes": list(types)}


def _pages(rows: list[PageRow], size: int) -> PageRows:
    return PageRows(rows, size, (1, 279), hubspot_defined_types())


def test_pages_from_rows_render_as_each_target_does() -> None:
    # rows as the store returns them: by from, to, category code, typeId; the unlabeled
    # type (1, 279) goes first, HubSpot labels come from the catalogue, others from the row
    label = 'Chef "d\u00e9cideur" \\ \n'
    rows: list[PageRow] = [
        (5, 7, 1, 1, None),
        (5, 7, 1, 279, None),
        (5, 7, 2, 1, label),
        (5, 9_223_372_036_854_775_807, 1, 279, None),
        (6, 8, 2, 3, None),
        (6, 8, 3, 12, "Integrator"),
    ]
    unlabeled = _spec(Category.HUBSPOT_DEFINED, 279, None)
    primary = _spec(Category.HUBSPOT_DEFINED, 1, "Primary")
    expected = {
        5: [
            _target(7, unlabeled, primary, _spec(Category.USER_DEFINED, 1, label)),
            _target(9_223_372_036_854_775_807, unlabeled),
        ],
        6: [
            _target(
                8,
                _spec(Category.USER_DEFINED, 3, None),
                _spec(Category.INTEGRATOR_DEFINED, 12, "Integrator"),
            )
        ],
    }
    rendered = pages_json(_pages(rows, 500))
    assert list(rendered) == [5, 6]
    for from_id, results in expected.items():
        to, after = rendered[from_id]
        assert orjson.dumps(orjson.Fragment(to)) == orjson.dumps(results)
        assert after is None
    assert pages_json(_pages([], 500)) == {}


def test_a_page_fetched_one_target_over_its_size_ends_with_a_cursor() -> None:
    rows: list[PageRow] = [
        (5, 7, 1, 279, None),
        (5, 8, 1, 279, None),
        (5, 8, 1, 1, None),
        (5, 9, 1, 279, None),
        (6, 10, 1, 279, None),
        (6, 11, 1, 279, None),
    ]
    rendered = pages_json(_pages(rows, 2))
    to, after = rendered[5]
    assert [t["toObjectId"] for t in orjson.loads(to)] == [7, 8]
    assert after == encode_cursor(8)
    assert rendered[6] == (orjson.dumps(orjson.loads(rendered[6][0])).decode(), None)
    assert [t["toObjectId"] for t in orjson.loads(rendered[6][0])] == [10, 11]


def test_batch_read_results_are_what_orjson_writes_for_each_result() -> None:
    rendered = {
        5: ('[{"toObjectId":7,"associationTypes":[]}]', None),
        6: ("[]", encode_cursor(8)),
    }
    answered = [("5", 5), ("0006", 6), ('6"\\', 6)]  # an id is written as sent, escaped
    expected = [
        {"from": {"id": raw}, "to": orjson.Fragment(rendered[from_id][0])}
        | (
            {}
            if rendered[from_id][1] is None
            else {"paging": {"next": {"after": rendered[from_id][1]}}}
        )
        for raw, from_id in answered
    ]
    got = batch_read_results_json(answered, rendered)
    assert [s.encode() for s in got] == [orjson.dumps(e) for e in expected]
    assert '"paging":{"next":{"after":"MC04"}}' in got[1]  # base64 of "0-8"
    assert batch_read_results_json([], rendered) == []
