"""A custom object's ``requiredProperties``, checked where a record is created: objects v3
create, batch create, and batch upsert when an input makes a new record.

HubSpot's answer (400 VALIDATION_ERROR) for a standard type is ``Error creating TICKET.
Some required properties were not set.`` with the names in ``context.properties``; for a
custom object the observed messages name the schema's ``name`` as written
(``Error creating app_settings. …``). Sources and what is UNCONFIRMED: docs/compat.md,
"Custom objects".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection

from hubgraph.domain.object_types import ObjectType
from hubgraph.services.results import ItemError
from hubgraph.store import custom_objects as schema_store


@dataclass(frozen=True, slots=True)
class RequiredProperties:
    object_name: str
    """The name the message carries: the schema's ``name`` as created."""
    names: tuple[str, ...]

    def missing(self, values: Mapping[str, str | None]) -> ItemError | None:
        """The error for a new record without a value (or with ``""``) for one of them."""
        absent = [n for n in self.names if values.get(n) in (None, "")]
        if not absent:
            return None
        return ItemError(
            category="VALIDATION_ERROR",
            message=f"Error creating {self.object_name}. Some required properties were not set.",
            context={"properties": absent},
        )


NONE = RequiredProperties("", ())


def required_properties(
    conn: Connection, portal_id: int, object_type: ObjectType
) -> RequiredProperties:
    """The type's required properties: a custom object's schema list; none for standard
    types (their required properties are not enforced, docs/compat.md)."""
    if not object_type.is_custom:
        return NONE
    schema = schema_store.find(conn, portal_id, object_type.id)
    if schema is None:
        return NONE
    return RequiredProperties(schema.name, tuple(schema.definition["requiredProperties"]))
