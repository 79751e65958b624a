"""HubSpot's association types: categories, the HubSpot-defined catalogue, defaults.

An association type is identified by (category, typeId), never by typeId alone:
USER_DEFINED ids overlap HUBSPOT_DEFINED ones (reference §4.2). Each type is
directional and has an inverse for the opposite direction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import TypedDict

from hubgraph.domain.object_types import ObjectTypeRegistry, standard_object_types


class Category(StrEnum):
    HUBSPOT_DEFINED = "HUBSPOT_DEFINED"
    USER_DEFINED = "USER_DEFINED"
    INTEGRATOR_DEFINED = "INTEGRATOR_DEFINED"


@dataclass(frozen=True, slots=True)
class AssociationType:
    category: Category
    type_id: int
    from_type: str
    """objectTypeId of the from side, e.g. ``0-1``."""
    to_type: str
    label: str | None
    """None for the unlabeled default type, as HubSpot renders it."""
    inverse_type_id: int
    is_default: bool = False
    is_primary: bool = False


class AssociationTypeCatalog:
    """Every HubSpot-defined type, looked up by key, by pair, or as a pair's default."""

    def __init__(self, types: list[AssociationType]) -> None:
        self._by_key: dict[tuple[Category, int], AssociationType] = {}
        self._by_pair: dict[tuple[str, str], list[AssociationType]] = {}
        self._default: dict[tuple[str, str], AssociationType] = {}
        for t in types:
            key = (t.category, t.type_id)
            if key in self._by_key and self._by_key[key] != t:
                raise ValueError(f"association type {key} is defined twice")
            self._by_key[key] = t
            self._by_pair.setdefault((t.from_type, t.to_type), []).append(t)
            if t.is_default:
                self._default[(t.from_type, t.to_type)] = t

    def get(self, category: Category, type_id: int) -> AssociationType | None:
        return self._by_key.get((category, type_id))

    def default_for(self, from_type: str, to_type: str) -> AssociationType | None:
        return self._default.get((from_type, to_type))

    def for_pair(self, from_type: str, to_type: str) -> list[AssociationType]:
        return list(self._by_pair.get((from_type, to_type), ()))

    def __iter__(self) -> Iterator[AssociationType]:
        return iter(self._by_key.values())


class _Row(TypedDict, total=False):
    """One row of data/association_types.json."""

    to: str
    typeId: int
    inverseTypeId: int
    label: str
    inverseLabel: str
    default: bool
    primary: bool


def _both_directions(
    row: _Row, from_name: str, registry: ObjectTypeRegistry
) -> list[AssociationType]:
    from_type = registry.by_name(from_name).id
    to_type = registry.by_name(row["to"]).id
    type_id, inverse_id = row["typeId"], row["inverseTypeId"]
    is_default, is_primary = row.get("default", False), row.get("primary", False)
    forward = AssociationType(
        Category.HUBSPOT_DEFINED,
        type_id,
        from_type,
        to_type,
        row.get("label"),
        inverse_id,
        is_default,
        is_primary,
    )
    if type_id == inverse_id:
        return [forward]
    backward = AssociationType(
        Category.HUBSPOT_DEFINED,
        inverse_id,
        to_type,
        from_type,
        row.get("inverseLabel"),
        type_id,
        is_default,
        is_primary,
    )
    return [forward, backward]


@cache
def hubspot_defined_types() -> AssociationTypeCatalog:
    raw = json.loads(files("hubgraph.domain").joinpath("data/association_types.json").read_text())
    registry = standard_object_types()
    types: list[AssociationType] = []
    for row in raw["associationTypes"]:
        types.extend(_both_directions(row, row["from"], registry))
    return AssociationTypeCatalog(types)
