"""HubSpot's CRM object types and the one registry that resolves names in paths."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from hubgraph.errors import UnknownObjectType


@dataclass(frozen=True, slots=True)
class ObjectType:
    id: str
    """HubSpot's objectTypeId, e.g. ``0-1``; what every response carries."""
    singular: str
    plural: str
    scope_names: tuple[str, ...]
    """Names in HubSpot's ``crm.objects.<name>.read|write`` scopes, or a whole legacy scope."""

    @property
    def error_name(self) -> str:
        """The name HubSpot uses in ``INVALID_OBJECT_IDS`` messages: ``CONTACT``."""
        return self.singular.upper()


class ObjectTypeRegistry:
    """Resolves what a path may say (``contacts``, ``Contact``, ``0-1``) to one ObjectType."""

    def __init__(self, object_types: list[ObjectType]) -> None:
        self._by_id = {t.id: t for t in object_types}
        self._by_name: dict[str, ObjectType] = {}
        for t in object_types:
            self._by_name[t.singular.lower()] = t
            self._by_name[t.plural.lower()] = t

    def resolve(self, value: str) -> ObjectType:
        found = self._by_id.get(value) or self._by_name.get(value.lower())
        if found is None:
            raise UnknownObjectType(value)
        return found

    def by_id(self, object_type_id: str) -> ObjectType:
        return self._by_id[object_type_id]

    def by_name(self, name: str) -> ObjectType:
        return self._by_name[name]

    def __iter__(self) -> Iterator[ObjectType]:
        return iter(self._by_id.values())


@cache
def standard_object_types() -> ObjectTypeRegistry:
    raw = json.loads(files("hubgraph.domain").joinpath("data/object_types.json").read_text())
    return ObjectTypeRegistry(
        [
            ObjectType(
                id=row["id"],
                singular=row["singular"],
                plural=row["plural"],
                scope_names=tuple(row["scopes"]),
            )
            for row in raw["objectTypes"]
        ]
    )
