"""Record properties tests can write: every write is validated against the type's properties."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from hubgraph.domain.object_types import standard_object_types
from hubgraph.domain.properties import default_catalogue, default_properties, property_type

_PREFERRED = ("name", "firstname", "dealname", "subject", "hs_title", "hs_note_body")


@cache
def name_property(object_type: str) -> str:
    """A writable text property of the type, to tell test records apart by name."""
    type_id = standard_object_types().resolve(object_type).id
    defaults = default_properties(type_id)
    for name in _PREFERRED:
        if name in defaults and not defaults[name].read_only_value:
            return name
    return next(
        d.name
        for d in defaults.values()
        if d.type == "string" and not d.read_only_value and d.validation is None
    )


def named(object_type: str, name: str) -> dict[str, str]:
    """``{"<the type's name property>": name}``"""
    return {name_property(object_type): name}


def define_missing_properties(
    post: Callable[..., Any], object_type: str, *records: Mapping[str, object]
) -> None:
    """Custom properties for names the type lacks (a number when every value is one), as a
    test that writes them would first create in HubSpot; ``post`` is a portal's ``post``."""
    type_id = standard_object_types().resolve(object_type).id
    catalogue = default_catalogue(type_id)
    group = next(iter(catalogue.properties.values())).group_name
    values: dict[str, list[object]] = {}
    for record in records:
        for name, value in record.items():
            values.setdefault(name, []).append(value)
    for name, seen in values.items():
        if property_type(type_id, name) is not None:
            continue
        numeric = all(re.fullmatch(r"-?\d+(\.\d+)?", str(v)) for v in seen if v is not None)
        kind, field = ("number", "number") if numeric else ("string", "text")
        made = post(
            f"/crm/v3/properties/{object_type}",
            json={
                "name": name,
                "label": name,
                "type": kind,
                "fieldType": field,
                "groupName": group,
            },
        )
        assert made.status_code in (201, 409), made.text
