"""Record properties tests can write: every write is validated against the type's properties."""

from __future__ import annotations

from functools import cache

from hubgraph.domain.object_types import standard_object_types
from hubgraph.domain.properties import default_properties

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
