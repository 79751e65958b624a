"""Steering generated requests to live records, and tallying what the fuzzer got back.

The contract fuzzer's random ids almost never name a record, so without steering most
operations only ever answer 4xx and lists come back empty: a broken success body would
pass. Here a share of the cases gets its object types, record ids and association types
replaced by a portal's real ones (contacts associated with companies).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ID_KEYS = {"id", "objectId", "fromObjectId", "toObjectId"}
# contact -> company, HUBSPOT_DEFINED: the unlabeled type (reference §4.2).
CONTACT_TO_COMPANY = 279


@dataclass(frozen=True)
class LiveData:
    contacts: list[str]
    companies: list[str]

    def id_for(self, trail: tuple[str, ...]) -> str:
        """A company where the trail says "to", a contact otherwise."""
        to_side = any(part.lower().startswith("to") for part in trail)
        return self.companies[0] if to_side else self.contacts[0]


def steer_path(parameters: dict[str, Any] | None, data: LiveData) -> dict[str, Any] | None:
    if not parameters:
        return parameters
    steered = dict(parameters)
    for name in parameters:
        lower = name.lower()
        if "objecttype" in lower:
            steered[name] = "companies" if lower.startswith("to") else "contacts"
        elif "objectid" in lower:
            steered[name] = data.id_for((name,))
    return steered


def steer_body(body: Any, data: LiveData, trail: tuple[str, ...] = ()) -> Any:
    """``body`` with every id field naming a live record and every type a valid one."""
    if isinstance(body, dict):
        steered: dict[str, Any] = {}
        for key, value in body.items():
            if key in ID_KEYS and isinstance(value, str | int) and not isinstance(value, bool):
                live = data.id_for((*trail, key))
                steered[key] = int(live) if isinstance(value, int) else live
            elif key == "associationCategory" and isinstance(value, str):
                steered[key] = "HUBSPOT_DEFINED"
            elif key in ("associationTypeId", "typeId") and isinstance(value, int):
                steered[key] = CONTACT_TO_COMPANY
            else:
                steered[key] = steer_body(value, data, (*trail, key))
        return steered
    if isinstance(body, list):
        return [steer_body(item, data, trail) for item in body]
    return body
