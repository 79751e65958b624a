"""Writing many associations from a file (seed, CSV import): all valid, or an error naming where.

The checks are the API's (live records, limits, both directions), made set-based per
chunk: one existence query per object type, one bulk insert.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from hubgraph.domain.association_types import AssociationType
from hubgraph.domain.associations import Association
from hubgraph.domain.object_types import ObjectType
from hubgraph.services.associations.kernel import LiveRecords
from hubgraph.services.associations.limits import LimitCheck, limit_exceeded_error
from hubgraph.services.clock import now_ms
from hubgraph.services.portability.loading import rejected
from hubgraph.store import associations as association_store


@dataclass(frozen=True, slots=True)
class AssociationInput:
    where: str
    """Where the input came from, for errors: ``line 12``, ``associations[3]``."""
    from_type: ObjectType
    from_id: int
    to_type: ObjectType
    to_id: int
    type: AssociationType
    inverse: AssociationType

    def rows(self) -> list[Association]:
        t, i = self.type, self.inverse
        return [
            Association(
                self.from_type.id, self.from_id, self.to_type.id, self.to_id, t.category, t.type_id
            ),
            Association(
                self.to_type.id, self.to_id, self.from_type.id, self.from_id, i.category, i.type_id
            ),
        ]


def write_associations(conn: Connection, portal_id: int, inputs: list[AssociationInput]) -> int:
    """Write every input in both directions, or raise for the first that cannot be written."""
    wanted: dict[str, set[int]] = {}
    for i in inputs:
        wanted.setdefault(i.from_type.id, set()).add(i.from_id)
        wanted.setdefault(i.to_type.id, set()).add(i.to_id)
    live = LiveRecords(conn, portal_id, wanted)
    for i in inputs:
        for object_type, object_id in ((i.from_type, i.from_id), (i.to_type, i.to_id)):
            if not live.contains(object_type, object_id):
                raise rejected(
                    i.where, f"{object_type.singular} {object_id} is not a record of this portal"
                )
    candidates = [i.rows() for i in inputs]
    check = LimitCheck(conn, portal_id, candidates)
    admitted: dict[Association, None] = {}
    for i, rows in zip(inputs, candidates, strict=True):
        exceeded = check.admit(rows)
        if exceeded is not None:
            raise rejected(i.where, limit_exceeded_error(exceeded, i.from_type.singular).message)
        admitted.update(dict.fromkeys(rows))
    association_store.insert_associations(conn, portal_id, list(admitted), now_ms())
    return len(inputs)
