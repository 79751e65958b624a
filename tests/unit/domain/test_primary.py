"""Which side of a primary association type holds the primary."""

from __future__ import annotations

from hubgraph.domain.association_types import Category, hubspot_defined_types
from hubgraph.domain.primary import holder_is_from


def test_each_primary_type_and_its_inverse_agree_on_the_holder() -> None:
    catalog = hubspot_defined_types()
    primaries = [t for t in catalog if t.is_primary]
    assert {t.type_id for t in primaries} >= {1, 2, 5, 6, 25, 26, 509, 510, 582, 583}
    for t in primaries:
        inverse = catalog.get(Category.HUBSPOT_DEFINED, t.inverse_type_id)
        assert inverse is not None
        assert holder_is_from(t) != holder_is_from(inverse)


def test_the_holder_is_the_record_that_has_a_primary_company_or_deal() -> None:
    catalog = hubspot_defined_types()
    holders = {
        t.type_id: holder_is_from(t)
        for t in catalog
        if t.is_primary and t.type_id in (1, 2, 5, 6, 25, 26, 582, 583)
    }
    # contact→company 1, deal→company 5, ticket→company 26, lead→deal 582
    assert holders == {
        1: True,
        2: False,
        5: True,
        6: False,
        26: True,
        25: False,
        582: True,
        583: False,
    }
