"""Pure limit rules: the range a new limit may take."""

from __future__ import annotations

from hubgraph.domain.association_types import AssociationType, Category, hubspot_defined_types
from hubgraph.domain.limits import LimitRange, allowed_range

HD = Category.HUBSPOT_DEFINED


def hubspot_type(type_id: int) -> AssociationType:
    found = hubspot_defined_types().get(HD, type_id)
    assert found is not None
    return found


UNLABELED = hubspot_type(279)  # contact→company, unlabeled
PRIMARY = hubspot_type(1)  # contact→primary company


def test_without_other_limits_the_range_is_1_to_the_ceiling() -> None:
    assert allowed_range(PRIMARY, UNLABELED, {}, 10_000) == LimitRange(1, 10_000)
    assert allowed_range(UNLABELED, UNLABELED, {}, 10_000) == LimitRange(1, 10_000)


def test_a_label_is_capped_by_the_unlabeled_limit() -> None:
    assert allowed_range(PRIMARY, UNLABELED, {(HD, 279): 10}, 10_000) == LimitRange(1, 10)


def test_the_unlabeled_limit_is_floored_by_label_limits() -> None:
    limits = {(HD, 1): 4, (Category.USER_DEFINED, 279): 7, (HD, 279): 50}
    assert allowed_range(UNLABELED, UNLABELED, limits, 10_000) == LimitRange(7, 10_000)


def test_range_membership() -> None:
    assert 1 in LimitRange(1, 3)
    assert 3 in LimitRange(1, 3)
    assert 0 not in LimitRange(1, 3)
    assert 4 not in LimitRange(1, 3)
