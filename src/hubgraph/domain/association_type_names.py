"""The snake_case ``type`` strings of objects v3's embedded associations (reference §10.3).

Objects v3 names association types the way HubSpot's v1 API did: where a pair has a
primary type, the primary is ``contact_to_company`` and the unlabeled type, added later,
``contact_to_company_unlabeled`` (observed in fixtures). A pair without a primary type
names its unlabeled type ``contact_to_deal``. Other labelled types append their label.
"""

from __future__ import annotations

import re

from hubgraph.domain.association_types import AssociationType, AssociationTypeCatalog, Category
from hubgraph.domain.object_types import ObjectTypeRegistry

# HubSpot's v1 names for the parent/child company types (v1 definition ids 13 and 14).
LEGACY_NAMES = {13: "parent_to_child_company", 14: "child_to_parent_company"}


def snake_case(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


def association_type_name(
    t: AssociationType,
    catalog: AssociationTypeCatalog,
    object_types: ObjectTypeRegistry,
    user_name: str | None = None,
) -> str:
    """``t``'s v3 name; ``user_name`` is a USER_DEFINED label's internal ``name``."""
    if t.category is not Category.HUBSPOT_DEFINED:
        return snake_case(user_name or t.label or f"{t.category.value}_{t.type_id}")
    if t.type_id in LEGACY_NAMES:
        return LEGACY_NAMES[t.type_id]
    base = f"{object_types.by_id(t.from_type).singular}_to_{object_types.by_id(t.to_type).singular}"
    if t.is_primary:
        return base
    if t.is_default:
        has_primary = any(p.is_primary for p in catalog.for_pair(t.from_type, t.to_type))
        return f"{base}_unlabeled" if has_primary else base
    return f"{base}_{snake_case(t.label or str(t.type_id))}"
