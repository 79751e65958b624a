from __future__ import annotations

import pytest

from hubgraph.domain.object_types import standard_object_types
from hubgraph.errors import UnknownObjectType


@pytest.mark.parametrize("name", ["contacts", "contact", "Contacts", "CONTACT", "0-1"])
def test_every_form_resolves_to_one_type(name: str) -> None:
    assert standard_object_types().resolve(name).id == "0-1"


@pytest.mark.parametrize("name", ["widgets", "0-999", "", "../contacts", "contacts;drop", "2-123"])
def test_unknown_names_raise_hubspots_error(name: str) -> None:
    with pytest.raises(UnknownObjectType) as info:
        standard_object_types().resolve(name)
    assert info.value.message == f"Unable to infer object type from: {name}"


def test_type_ids_are_unique_and_names_unambiguous() -> None:
    types = list(standard_object_types())
    assert len({t.id for t in types}) == len(types)
    names = [n for t in types for n in {t.singular, t.plural}]
    assert len(set(names)) == len(names)
