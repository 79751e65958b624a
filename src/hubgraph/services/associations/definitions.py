"""The association types one portal can use: HubSpot's, plus the portal's own labels."""

from __future__ import annotations

from sqlalchemy import Connection

from hubgraph.domain.association_types import AssociationType, AssociationTypeCatalog, Category
from hubgraph.services.context import Services
from hubgraph.store.association_types import user_defined_types


class PortalAssociationTypes:
    """Looks types up by (category, typeId) and by ordered object-type pair.

    HubSpot-defined types come from ``domain``; USER_DEFINED ones from the portal's rows.
    Keys are (category, typeId): user-defined ids may equal HubSpot-defined ones.
    """

    def __init__(self, hubspot: AssociationTypeCatalog, user: list[AssociationType]) -> None:
        self._hubspot = hubspot
        self._user = {(t.category, t.type_id): t for t in user}

    def get(self, category: Category, type_id: int) -> AssociationType | None:
        if category is Category.HUBSPOT_DEFINED:
            return self._hubspot.get(category, type_id)
        return self._user.get((category, type_id))

    def inverse_of(self, t: AssociationType) -> AssociationType:
        inverse = self.get(t.category, t.inverse_type_id)
        assert inverse is not None, f"{t} has no inverse"
        return inverse

    def default_for(self, from_type: str, to_type: str) -> AssociationType | None:
        """HubSpot's unlabeled type of the pair; for a custom object's pair, the unlabeled
        USER_DEFINED type its schema created (docs/compat.md, "Custom objects")."""
        found = self._hubspot.default_for(from_type, to_type)
        if found is not None:
            return found
        unlabeled = [
            t
            for t in self._user.values()
            if (t.from_type, t.to_type) == (from_type, to_type) and t.label is None
        ]
        return min(unlabeled, key=lambda t: t.type_id) if unlabeled else None

    def user_defined(self) -> list[AssociationType]:
        return list(self._user.values())

    def for_pair(self, from_type: str, to_type: str) -> list[AssociationType]:
        user = [t for t in self._user.values() if (t.from_type, t.to_type) == (from_type, to_type)]
        return self._hubspot.for_pair(from_type, to_type) + sorted(user, key=lambda t: t.type_id)


def portal_association_types(
    services: Services, conn: Connection, portal_id: int
) -> PortalAssociationTypes:
    return PortalAssociationTypes(services.association_types, user_defined_types(conn, portal_id))
