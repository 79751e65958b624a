"""Search request rules that need no database: values, limits, resolution of filters."""

from __future__ import annotations

import pytest

from hubgraph.domain.search import (
    ColumnPredicate,
    Filter,
    Operator,
    PropertyKind,
    SearchRequest,
    ValuePredicate,
    check_limits,
    epoch_ms,
    kind_of,
    query_terms,
    resolve_filter,
    system_kind,
)
from hubgraph.errors import ValidationError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1700000000000", 1_700_000_000_000),
        ("2023-11-14T22:13:20Z", 1_700_000_000_000),
        ("2023-11-14T22:13:20.000+00:00", 1_700_000_000_000),
        ("2023-11-14", 1_699_920_000_000),
        ("yesterday", None),
    ],
)
def test_epoch_ms_takes_ms_strings_and_iso(value: str, expected: int | None) -> None:
    assert epoch_ms(value) == expected


def test_query_terms_split_like_the_index() -> None:
    assert query_terms("Jo.Doe@example.com  (x)") == ["Jo", "Doe", "example", "com", "x"]


def test_system_dates_resolve_to_columns_in_epoch_ms() -> None:
    f = Filter("hs_lastmodifieddate", Operator.GTE, "2023-11-14T22:13:20Z")
    kind = system_kind(f.property_name)
    assert kind is PropertyKind.DATETIME
    assert resolve_filter(f, kind) == ColumnPredicate(
        "updated_at", Operator.GTE, (1_700_000_000_000,)
    )
    lastmodified = Filter("lastmodifieddate", Operator.LT, "5")
    assert resolve_filter(lastmodified, PropertyKind.DATETIME).column == "updated_at"


def test_negations_and_numbers() -> None:
    p = resolve_filter(Filter("amount", Operator.NEQ, "10"), PropertyKind.NUMBER)
    assert p == ValuePredicate("amount", Operator.EQ, PropertyKind.NUMBER, ("10",), (10.0,), True)
    text = resolve_filter(Filter("city", Operator.EQ, "10"), PropertyKind.STRING)
    assert isinstance(text, ValuePredicate)
    assert text.numbers == ()


def test_kinds_follow_the_properties_type() -> None:
    assert kind_of("enumeration") is PropertyKind.ENUMERATION
    assert kind_of("datetime") is PropertyKind.DATETIME
    assert kind_of("phone_number") is PropertyKind.STRING
    assert kind_of(None) is PropertyKind.STRING
    assert system_kind("hs_object_id") is PropertyKind.NUMBER
    assert system_kind("firstname") is None


@pytest.mark.parametrize(
    "request_",
    [
        SearchRequest(limit=201),
        SearchRequest(limit=100, offset=9_901),
        SearchRequest(query="q" * 3_001),
        SearchRequest(filter_groups=((Filter("a", Operator.HAS_PROPERTY),),) * 6),
        SearchRequest(filter_groups=((Filter("a", Operator.HAS_PROPERTY),) * 7,)),
        SearchRequest(filter_groups=((Filter("a", Operator.HAS_PROPERTY),) * 5,) * 4),
    ],
)
def test_limits(request_: SearchRequest) -> None:
    with pytest.raises(ValidationError):
        check_limits(request_)


def test_limits_at_the_edge_pass() -> None:
    check_limits(SearchRequest(limit=200, offset=9_800))
    check_limits(SearchRequest(filter_groups=((Filter("a", Operator.HAS_PROPERTY),) * 6,) * 3))
