"""HubSpot's CRM object types and the one registry that resolves names in paths."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
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

    @property
    def is_custom(self) -> bool:
        return self.id.startswith(CUSTOM_PREFIX)


# Custom object types have ids ``2-<n>`` (reference §6.3); every one of them is covered
# by the ``crm.objects.custom.*`` scopes (spec crm-schemas-v3 / objects security).
CUSTOM_PREFIX = "2-"
CUSTOM_SCOPE = "crm.objects.custom"


def custom_object_type(object_type_id: str) -> ObjectType:
    """The ObjectType of a custom object id, whichever way the path wrote it: only the id
    matters, so the value is the same for ``2-7`` and ``p123_cars`` (equality holds)."""
    return ObjectType(object_type_id, object_type_id, object_type_id, (CUSTOM_SCOPE,))


CustomLookup = Callable[[int, str], str | None]
"""(portal id, what the path says) -> that portal's live custom objectTypeId, or None."""


class ObjectTypeRegistry:
    """Resolves what a path may say (``contacts``, ``Contact``, ``0-1``) to one ObjectType."""

    def __init__(self, object_types: list[ObjectType], custom: CustomLookup | None = None) -> None:
        self._custom = custom
        self._by_id = {t.id: t for t in object_types}
        self._by_name: dict[str, ObjectType] = {}
        for t in object_types:
            self._by_name[t.singular.lower()] = t
            self._by_name[t.plural.lower()] = t

    def with_custom(self, custom: CustomLookup) -> ObjectTypeRegistry:
        """This registry, also resolving each portal's custom objects through ``custom``."""
        return ObjectTypeRegistry(list(self), custom)

    def resolve(self, value: str, portal_id: int | None = None) -> ObjectType:
        """A standard type by id or name; a custom one (``2-7``, ``p123_cars``) only for the
        portal that owns it: another portal's id is as unknown as a made-up one."""
        found = self.standard(value)
        if found is not None:
            return found
        if portal_id is not None and self._custom is not None:
            custom_id = self._custom(portal_id, value)
            if custom_id is not None:
                return custom_object_type(custom_id)
        raise UnknownObjectType(value)

    def standard(self, value: str) -> ObjectType | None:
        """``resolve`` for the standard types only: never a lookup, so it may run on the
        event loop (a custom type's lookup reads the database)."""
        return self._by_id.get(value) or self._by_name.get(value.lower())

    def by_id(self, object_type_id: str) -> ObjectType:
        """A stored id (already checked when it was written): no lookup needed."""
        if object_type_id.startswith(CUSTOM_PREFIX):
            return custom_object_type(object_type_id)
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
