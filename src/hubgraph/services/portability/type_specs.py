"""Association types as people write them in fixture files and CSV imports.

Accepted, for an ordered pair of object types:

- nothing, ``""`` or ``"default"``: the pair's unlabeled HubSpot-defined type;
- a type id (``279`` or ``"279"``): the pair's HUBSPOT_DEFINED type with that id, else the
  portal's USER_DEFINED one;
- ``"USER_DEFINED/1001"`` or ``{"associationCategory": …, "associationTypeId": …}``
  (HubSpot's AssociationSpec): exactly that type;
- any other text: the pair's type with that label, ignoring case (``"Primary"``).
"""

from __future__ import annotations

from collections.abc import Mapping

from hubgraph.domain.association_types import AssociationType, Category
from hubgraph.domain.object_types import ObjectType
from hubgraph.services.associations.definitions import PortalAssociationTypes


class UnknownTypeSpec(ValueError):
    pass


def resolve_type_spec(
    types: PortalAssociationTypes, from_type: ObjectType, to_type: ObjectType, spec: object
) -> AssociationType:
    pair = f"{from_type.singular} to {to_type.singular}"
    if spec is None or (isinstance(spec, str) and spec.strip().lower() in ("", "default")):
        found = types.default_for(from_type.id, to_type.id)
        if found is None:
            raise UnknownTypeSpec(f"there is no default association type from {pair}")
        return found
    if isinstance(spec, Mapping):
        return _exact(
            types,
            from_type,
            to_type,
            spec.get("associationCategory"),
            spec.get("associationTypeId"),
        )
    if isinstance(spec, int) and not isinstance(spec, bool):
        return _by_id(types, from_type, to_type, spec)
    if not isinstance(spec, str):
        raise UnknownTypeSpec(f"an association type must be a label, an id or a spec: {spec!r}")
    text = spec.strip()
    if text.isascii() and text.isdigit():
        return _by_id(types, from_type, to_type, int(text))
    category, slash, type_id = text.partition("/")
    if slash and category.upper() in Category.__members__:
        return _exact(types, from_type, to_type, category.upper(), type_id)
    for candidate in types.for_pair(from_type.id, to_type.id):
        if candidate.label is not None and candidate.label.lower() == text.lower():
            return candidate
    raise UnknownTypeSpec(f"no association type labelled {text!r} from {pair}")


def _by_id(
    types: PortalAssociationTypes, from_type: ObjectType, to_type: ObjectType, type_id: int
) -> AssociationType:
    matches = [t for t in types.for_pair(from_type.id, to_type.id) if t.type_id == type_id]
    if not matches:
        raise UnknownTypeSpec(
            f"no association type {type_id} from {from_type.singular} to {to_type.singular}"
        )
    # HubSpot-defined first: for_pair lists them before the portal's labels.
    return matches[0]


def _exact(
    types: PortalAssociationTypes,
    from_type: ObjectType,
    to_type: ObjectType,
    category: object,
    type_id: object,
) -> AssociationType:
    if not isinstance(category, str) or category not in Category.__members__:
        raise UnknownTypeSpec(f"unknown association category {category!r}")
    raw_id = str(type_id).strip() if isinstance(type_id, int | str) else ""
    if not raw_id.isascii() or not raw_id.isdigit():
        raise UnknownTypeSpec(f"an association type id must be a number, not {type_id!r}")
    found = types.get(Category(category), int(raw_id))
    if found is None or (found.from_type, found.to_type) != (from_type.id, to_type.id):
        raise UnknownTypeSpec(
            f"no association type {category}/{raw_id} from {from_type.singular} "
            f"to {to_type.singular}"
        )
    return found
