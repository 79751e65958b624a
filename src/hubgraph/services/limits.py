"""Association limits: no write may take a record past a configured cap.

A limit is set per directional type (from_type, to_type, category, typeId) and caps how
many records one from-record may be associated to with that type (reference §2.2).
Both stored directions are checked, so the inverse type's limit holds too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection

from hubgraph.domain.associations import Association
from hubgraph.services.results import ItemError
from hubgraph.store import association_limits as limit_store
from hubgraph.store.association_limits import TypeKey


@dataclass(frozen=True, slots=True)
class LimitExceeded:
    row: Association
    limit: int


def _key(row: Association) -> TypeKey:
    return (row.from_type, row.to_type, row.category, row.type_id)


class LimitCheck:
    """Checks a batch's inputs in order against the limits, counting earlier accepted inputs.

    Costs one query when the portal has no limit on the pairs involved, and two more per
    limited type otherwise; never a query per input.
    """

    def __init__(self, conn: Connection, portal_id: int, inputs: list[list[Association]]) -> None:
        pairs = {(r.from_type, r.to_type) for rows in inputs for r in rows}
        self._limits = limit_store.limits_for(conn, portal_id, pairs)
        self._counts: dict[TypeKey, dict[int, int]] = {}
        self._present: dict[TypeKey, set[tuple[int, int]]] = {}
        if not self._limits:
            return
        wanted: dict[TypeKey, list[Association]] = defaultdict(list)
        for rows in inputs:
            for r in rows:
                if _key(r) in self._limits:
                    wanted[_key(r)].append(r)
        for key, rows in wanted.items():
            from_ids = {r.from_id for r in rows}
            to_ids = {r.to_id for r in rows}
            self._counts[key] = limit_store.target_counts(conn, portal_id, key, from_ids)
            self._present[key] = limit_store.existing_pairs(conn, portal_id, key, from_ids, to_ids)

    @property
    def limited(self) -> bool:
        """Whether any limit applies to this batch's types."""
        return bool(self._limits)

    def admit(self, rows: list[Association]) -> LimitExceeded | None:
        """Accept an input's rows (and count them) unless one would pass a limit."""
        if not self._limits:
            return None
        added: dict[TypeKey, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for r in rows:
            key = _key(r)
            limit = self._limits.get(key)
            if limit is None or (r.from_id, r.to_id) in self._present[key]:
                continue
            added[key][r.from_id] += 1
            if self._counts[key].get(r.from_id, 0) + added[key][r.from_id] > limit:
                return LimitExceeded(r, limit)
        for r in rows:
            key = _key(r)
            if key in self._limits and (r.from_id, r.to_id) not in self._present[key]:
                self._present[key].add((r.from_id, r.to_id))
                self._counts[key][r.from_id] = self._counts[key].get(r.from_id, 0) + 1
        return None


def limit_exceeded_error(exceeded: LimitExceeded, from_name: str) -> ItemError:
    """HubSpot's wording for this case is UNCONFIRMED (reference §3); see docs/compat.md."""
    r = exceeded.row
    return ItemError(
        category="VALIDATION_ERROR",
        message=(
            f"Association limit exceeded: {from_name} {r.from_id} can be associated with at "
            f"most {exceeded.limit} records of type {r.to_type} with association type "
            f"{r.category.value}={r.type_id}"
        ),
        context={
            "fromObjectId": [str(r.from_id)],
            "toObjectId": [str(r.to_id)],
            "associationSpec": [f"{r.category.value}={r.type_id}"],
            "limit": [str(exceeded.limit)],
        },
    )
