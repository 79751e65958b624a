"""Unique property values: claiming them on writes (409), finding records by them.

Contact ``email`` and every ``hasUniqueValue`` property are unique per object type
(reference §3.1, §3.3). The ``unique_values`` table maps each held value to its record,
so a duplicate is refused by a key (no race between two writers) and ``idProperty``
lookups are one key read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.property_values import canonical_value
from hubgraph.errors import InvalidProperty, ObjectAlreadyExists, ValidationError
from hubgraph.services.ids import parse_object_id
from hubgraph.services.properties.catalogue import PortalProperties
from hubgraph.store import unique_values as unique_store

RECORD_ID = "hs_object_id"


@dataclass(frozen=True, slots=True)
class UniqueWrite:
    object_id: int
    values: Mapping[str, str | None]
    """The canonical values written."""
    previous: Mapping[str, str | None] | None = None
    """The record's properties before the write; None when it is new."""


def object_label(object_type: ObjectType) -> str:
    """``Contact`` in "Contact already exists. Existing ID: N"."""
    return object_type.singular.replace("_", " ").capitalize()


def claim_unique_values(
    conn: Connection, portal_id: int, properties: PortalProperties, writes: Sequence[UniqueWrite]
) -> None:
    """Hand each write's unique values to its record and take back the ones it replaced.

    A value another record holds, or that two writes of the batch both want, fails the
    whole request with HubSpot's 409 (a batch fails as a whole, python#51, Joystream#355).
    """
    names = properties.unique_names()
    if not names:
        return
    object_type = properties.object_type
    released: list[tuple[str, str, int]] = []
    wanted: dict[tuple[str, str], int] = {}
    for write in writes:
        for name in names:
            if name not in write.values:
                continue
            value = write.values[name]
            old = write.previous.get(name) if write.previous is not None else None
            if value == old:
                continue
            if old:
                released.append((name, old, write.object_id))
            if value:
                holder = wanted.setdefault((name, value), write.object_id)
                if holder != write.object_id:
                    raise ObjectAlreadyExists(object_label(object_type), holder)
    unique_store.release(conn, portal_id, object_type.id, released)
    taken = unique_store.claim(
        conn, portal_id, object_type.id, [(n, v, i) for (n, v), i in wanted.items()]
    )
    if taken:
        holders = unique_store.holders(conn, portal_id, object_type.id, taken[:1])
        raise ObjectAlreadyExists(object_label(object_type), holders[taken[0]])


def non_unique_id_property(object_type: ObjectType, name: str, portal_id: int) -> ValidationError:
    """HubSpot's refusal of an idProperty that does not identify records (segmentio#3957)."""
    return ValidationError(
        f"Unable to perform update/upsert by non-unique {object_type.id} property {name} "
        f"in portal ID {portal_id}"
    )


def unique_id_property(properties: PortalProperties, id_property: str, portal_id: int) -> str:
    """``id_property`` if it names a live unique property of the type; 400 otherwise."""
    if id_property not in properties.unique_names():
        raise non_unique_id_property(properties.object_type, id_property, portal_id)
    return id_property


def canonical_unique(properties: PortalProperties, name: str, raw: str) -> str | None:
    """A value as the index keeps it (emails lower-cased); None when it can't be valid."""
    definition = properties.live(name)
    if definition is None:
        return None
    value = canonical_value(definition, raw)
    return None if isinstance(value, InvalidProperty) or not value else value


def find_by_unique(
    conn: Connection,
    portal_id: int,
    properties: PortalProperties,
    id_property: str | None,
    raw_ids: Sequence[str],
) -> dict[str, int | None]:
    """Each distinct id as sent → the record it names: by id, or by a unique value."""
    distinct = list(dict.fromkeys(raw_ids))
    if id_property is None or id_property == RECORD_ID:
        return {raw: parse_object_id(raw) for raw in distinct}
    name = unique_id_property(properties, id_property, portal_id)
    keys = {raw: canonical_unique(properties, name, raw) for raw in distinct}
    wanted = {(name, v) for v in keys.values() if v is not None}
    found = unique_store.holders(conn, portal_id, properties.object_type.id, wanted)
    return {raw: (found.get((name, v)) if v is not None else None) for raw, v in keys.items()}
