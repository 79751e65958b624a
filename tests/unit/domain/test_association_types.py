from __future__ import annotations

from hubgraph.domain.association_types import Category, hubspot_defined_types


def test_every_type_has_its_inverse_pointing_back() -> None:
    catalog = hubspot_defined_types()
    for t in catalog:
        inverse = catalog.get(Category.HUBSPOT_DEFINED, t.inverse_type_id)
        assert inverse is not None, t
        assert inverse.inverse_type_id == t.type_id
        assert (inverse.from_type, inverse.to_type) == (t.to_type, t.from_type)


def test_defaults_from_the_reference_table() -> None:
    catalog = hubspot_defined_types()
    assert catalog.default_for("0-1", "0-2").type_id == 279  # type: ignore[union-attr]
    assert catalog.default_for("0-2", "0-1").type_id == 280  # type: ignore[union-attr]
    assert catalog.default_for("0-1", "0-1").type_id == 449  # type: ignore[union-attr]
    assert catalog.default_for("0-3", "0-1").type_id == 3  # type: ignore[union-attr]
    assert catalog.default_for("0-7", "0-1") is None


def test_each_pair_has_at_most_one_default_and_labels_only_off_default() -> None:
    for t in hubspot_defined_types():
        if t.is_default:
            assert t.label is None
        else:
            assert t.label


def test_primary_types_are_labelled_primary() -> None:
    catalog = hubspot_defined_types()
    for type_id in (1, 2, 5, 6, 25, 26):
        t = catalog.get(Category.HUBSPOT_DEFINED, type_id)
        assert t is not None
        assert t.is_primary
        assert t.label == "Primary"
