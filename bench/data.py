"""The benchmark's data set: which records exist and which pairs association ``k`` joins.

Records are ``contacts`` contacts (plus one "hub" contact) and ``companies`` companies with
consecutive ids. Association ``k`` joins contact ``k % contacts`` to a company spread over
the whole range, so consecutive associations (one request's batch) touch scattered keys in
the reverse direction, as real traffic does. Pairs are unique while
``k // contacts < companies``.
"""

from __future__ import annotations

from dataclasses import dataclass

from hubgraph.domain.association_types import Category, hubspot_defined_types

CONTACT = "0-1"
COMPANY = "0-2"
HUB_ASSOCIATIONS = 600
_SPREAD = 7

_catalog = hubspot_defined_types()
_forward = _catalog.default_for(CONTACT, COMPANY)
assert _forward is not None
FORWARD_TYPE_ID = _forward.type_id
BACKWARD_TYPE_ID = _forward.inverse_type_id
HUBSPOT_DEFINED = 1  # hubgraph.store.associations.CATEGORY_CODES[HUBSPOT_DEFINED]
assert _forward.category is Category.HUBSPOT_DEFINED


@dataclass(frozen=True)
class DataSet:
    portal_id: int
    first_id: int
    contacts: int
    companies: int

    def contact_id(self, index: int) -> int:
        return self.first_id + index

    def company_id(self, index: int) -> int:
        return self.first_id + self.contacts + 1 + index

    @property
    def hub_contact_id(self) -> int:
        """A contact with ``HUB_ASSOCIATIONS`` companies, for list reads."""
        return self.contact_id(self.contacts)

    @property
    def record_count(self) -> int:
        return self.contacts + 1 + self.companies

    def pair(self, k: int) -> tuple[int, int]:
        c, r = k % self.contacts, k // self.contacts
        assert r < self.companies, "the data set has no more unique pairs"
        return self.contact_id(c), self.company_id((r + c * _SPREAD) % self.companies)

    def rows(self, k0: int, k1: int, now_ms: int) -> list[tuple[object, ...]]:
        """Both stored directions of associations ``k0 <= k < k1``, as table rows."""
        out: list[tuple[object, ...]] = []
        for k in range(k0, k1):
            contact, company = self.pair(k)
            out.append(
                (self.portal_id, CONTACT, contact, COMPANY, company, 1, FORWARD_TYPE_ID, now_ms)
            )
            out.append(
                (self.portal_id, COMPANY, company, CONTACT, contact, 1, BACKWARD_TYPE_ID, now_ms)
            )
        return out

    # The same pairs as SQL over an integer ``g``, for loaders that generate rows in the
    # database itself (no Python per row).
    def sql_contact(self, g: str, mod: str = "%") -> str:
        return f"({self.first_id} + ({g}) {mod} {self.contacts})"

    def sql_company(self, g: str, mod: str = "%") -> str:
        """``mod`` is how the driver's SQL spells modulo (psycopg needs ``%%``)."""
        c, r = f"(({g}) {mod} {self.contacts})", f"(({g}) / {self.contacts})"
        base = self.first_id + self.contacts + 1
        return f"({base} + ({r} + {c} * {_SPREAD}) {mod} {self.companies})"
