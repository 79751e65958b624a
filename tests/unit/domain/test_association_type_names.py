"""The v3 ``type`` strings of embedded associations (reference §10.3)."""

from __future__ import annotations

import pytest

from hubgraph.domain.association_type_names import association_type_name, snake_case
from hubgraph.domain.association_types import AssociationType, Category, hubspot_defined_types
from hubgraph.domain.object_types import standard_object_types


@pytest.mark.parametrize(
    ("type_id", "name"),
    [
        (1, "contact_to_company"),
        (2, "company_to_contact"),
        (279, "contact_to_company_unlabeled"),
        (280, "company_to_contact_unlabeled"),
        (5, "deal_to_company"),
        (341, "deal_to_company_unlabeled"),
        (4, "contact_to_deal"),
        (3, "deal_to_contact"),
        (19, "deal_to_line_item"),
        (13, "parent_to_child_company"),
        (14, "child_to_parent_company"),
        (931, "contact_to_company_billing_contact"),
    ],
)
def test_hubspot_defined(type_id: int, name: str) -> None:
    catalog = hubspot_defined_types()
    t = catalog.get(Category.HUBSPOT_DEFINED, type_id)
    assert t is not None
    assert association_type_name(t, catalog, standard_object_types()) == name


def test_user_defined_uses_the_internal_name_else_the_label() -> None:
    t = AssociationType(Category.USER_DEFINED, 31, "0-1", "0-2", "Decision maker", 32)
    catalog, registry = hubspot_defined_types(), standard_object_types()
    assert association_type_name(t, catalog, registry, "Decision_Maker") == "decision_maker"
    assert association_type_name(t, catalog, registry) == "decision_maker"


def test_snake_case() -> None:
    assert snake_case("  Billing contact (EU) ") == "billing_contact_eu"
