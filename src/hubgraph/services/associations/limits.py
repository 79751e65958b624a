"""Association limits: no write may take a record past a configured cap.

A limit is set per directional type (from_type, to_type, category, typeId) and caps how
many records one from-record may be associated to with that type (reference §2.2).
Both stored directions are checked, so the inverse type's limit holds too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
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

    Costs one query when the portal has no limit on the pairs involved; otherwise one lock
    per from-object type (PostgreSQL) and two queries per limited type (three when the request
    also removes rows of it); never one per input.
    """

    def __init__(
        self,
        conn: Connection,
        portal_id: int,
        inputs: list[list[Association]],
        removals: Sequence[Collection[Association]] = (),
    ) -> None:
        """``removals``: rows the same request deletes (any input's), which ``admit`` may
        credit to the input that deletes them, so the check is on the resulting state."""
        pairs = {(r.from_type, r.to_type) for rows in inputs for r in rows}
        self._limits = limit_store.limits_for(conn, portal_id, pairs)
        self._counts: dict[TypeKey, dict[int, int]] = {}
        self._present: dict[TypeKey, set[tuple[int, int]]] = {}
        self._removable: dict[TypeKey, set[tuple[int, int]]] = {}
        if not self._limits:
            return
        wanted: dict[TypeKey, list[Association]] = defaultdict(list)
        for rows in inputs:
            for r in rows:
                if _key(r) in self._limits:
                    wanted[_key(r)].append(r)
        self._lock_limited_records(conn, portal_id, wanted)
        for key, rows in wanted.items():
            from_ids = {r.from_id for r in rows}
            targets = {(r.from_id, r.to_id) for r in rows}
            self._counts[key] = limit_store.target_counts(conn, portal_id, key, from_ids)
            self._present[key] = limit_store.existing_pairs(conn, portal_id, key, targets)
        self._removable = self._counted_removals(conn, portal_id, wanted, inputs, removals)

    @property
    def limited(self) -> bool:
        """Whether any limit applies to this batch's types."""
        return bool(self._limits)

    @staticmethod
    def _counted_removals(
        conn: Connection,
        portal_id: int,
        wanted: dict[TypeKey, list[Association]],
        inputs: list[list[Association]],
        removals: Sequence[Collection[Association]],
    ) -> dict[TypeKey, set[tuple[int, int]]]:
        """The removed rows that count now (read under the lock) and may be credited.

        Only rows of a limited type leaving a record this request adds to matter. A row that
        any input also writes is never credited: the request keeps it.
        """
        written = {r for rows in inputs for r in rows}
        adding = {key: {r.from_id for r in rows} for key, rows in wanted.items()}
        by_key: dict[TypeKey, set[tuple[int, int]]] = defaultdict(set)
        for rows in removals:
            for r in rows:
                if r.from_id in adding.get(_key(r), ()) and r not in written:
                    by_key[_key(r)].add((r.from_id, r.to_id))
        return {
            key: limit_store.counted_pairs(conn, portal_id, key, pairs)
            for key, pairs in by_key.items()
        }

    @staticmethod
    def _lock_limited_records(
        conn: Connection, portal_id: int, wanted: dict[TypeKey, list[Association]]
    ) -> None:
        # Counting and inserting are two statements: without the lock, two concurrent
        # writers (PostgreSQL, read committed) could both see room for the last slot.
        by_type: dict[str, set[int]] = defaultdict(set)
        for (from_type, *_), rows in wanted.items():
            by_type[from_type].update(r.from_id for r in rows)
        for from_type in sorted(by_type):
            limit_store.lock_records(conn, portal_id, from_type, by_type[from_type])

    def admit(
        self, rows: list[Association], removed: Collection[Association] = ()
    ) -> LimitExceeded | None:
        """Accept an input's rows (and count them) unless one would pass a limit.

        ``removed``: the rows this input deletes when it is accepted (a replaced label, a
        demoted primary); those that count free their slot for the input's own rows.
        """
        if not self._limits:
            return None
        # A self-association's two directions are the same row: count it once.
        rows = list(dict.fromkeys(rows))
        freed = [
            r for r in set(removed) if (r.from_id, r.to_id) in self._removable.get(_key(r), ())
        ]
        change: dict[TypeKey, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for r in freed:
            change[_key(r)][r.from_id] -= 1
        for r in rows:
            key = _key(r)
            limit = self._limits.get(key)
            if limit is None or (r.from_id, r.to_id) in self._present[key]:
                continue
            change[key][r.from_id] += 1
            if self._counts[key].get(r.from_id, 0) + change[key][r.from_id] > limit:
                return LimitExceeded(r, limit)
        for r in freed:
            self._removable[_key(r)].discard((r.from_id, r.to_id))
            self._present[_key(r)].discard((r.from_id, r.to_id))
        for r in rows:
            key = _key(r)
            if key in self._limits:
                self._present[key].add((r.from_id, r.to_id))
        for key, by_from in change.items():
            for from_id, delta in by_from.items():
                self._counts[key][from_id] = self._counts[key].get(from_id, 0) + delta
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
