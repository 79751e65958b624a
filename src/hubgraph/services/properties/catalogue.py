"""A portal's properties of one object type: HubSpot's defaults overlaid by its own rows.

The defaults are reference data (``domain/data/properties.json``); the ``properties``
table holds custom properties and edits of default ones, so one read gives the whole
picture. Every record write loads it once (one query), whatever the batch size.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.properties import PropertyDefinition, PropertyGroup, default_catalogue
from hubgraph.store import properties as property_store


@dataclass(frozen=True, slots=True)
class PortalProperties:
    object_type: ObjectType
    definitions: dict[str, PropertyDefinition]
    """Every definition by name, archived ones too."""

    def live(self, name: str) -> PropertyDefinition | None:
        """The property a record write may use: known and not archived."""
        found = self.definitions.get(name)
        return None if found is None or found.archived else found

    def listed(self, *, archived: bool) -> list[PropertyDefinition]:
        return [d for d in self.definitions.values() if d.archived == archived]

    def unique_names(self) -> list[str]:
        """Properties whose values identify one record (contact ``email``, hasUniqueValue)."""
        return [d.name for d in self.definitions.values() if d.has_unique_value and not d.archived]


def load_properties(conn: Connection, portal_id: int, object_type: ObjectType) -> PortalProperties:
    definitions = dict(default_catalogue(object_type.id).properties)
    for own in property_store.portal_properties(conn, portal_id, object_type.id):
        definitions[own.name] = own
    return PortalProperties(object_type, definitions)


def load_groups(
    conn: Connection, portal_id: int, object_type: ObjectType
) -> dict[str, PropertyGroup]:
    """Every group by name, archived ones too: defaults first, the portal's after."""
    groups = {g.name: g for g in default_catalogue(object_type.id).groups}
    for own in property_store.portal_groups(conn, portal_id, object_type.id):
        groups[own.name] = own
    return groups
