"""Restoring an archived record (HubSpot does it in its UI, for 90 days; reference §10.4).

The record's association rows were kept while it was archived, so they come back with it;
app webhooks hear of each one that is live again (its other record live), one event per
side, as they heard of its removal when the record was archived.
"""

from __future__ import annotations

from sqlalchemy import Connection

from hubgraph.domain.associations import Association
from hubgraph.domain.scopes import write_scopes
from hubgraph.errors import ObjectNotFound
from hubgraph.services.access.portals import Principal
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.ids import parse_object_id
from hubgraph.services.properties.catalogue import load_properties
from hubgraph.services.properties.unique import UniqueWrite, claim_unique_values
from hubgraph.services.records.reads import MERGED_IDS, CrmObject
from hubgraph.store import associations as association_store
from hubgraph.store import objects as object_store
from hubgraph.store import unique_values as unique_store
from hubgraph.store.journal import AssociationChange, journal


def restore_object(
    services: Services, principal: Principal, object_type_name: str, raw_id: str
) -> CrmObject:
    """Un-archive the record; restoring a live record changes nothing."""
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(write_scopes(object_type))
    object_id = parse_object_id(raw_id)
    if object_id is None:
        raise ObjectNotFound()
    with services.database.write() as conn:
        restored = object_store.restore_objects(
            conn, principal.portal_id, object_type.id, [object_id], now_ms()
        )
        row = object_store.get_object(conn, principal.portal_id, object_type.id, object_id)
        if restored and row is not None:
            # its unique values were freed when it was archived; another record may hold one
            catalogue = load_properties(conn, principal.portal_id, object_type)
            claim_unique_values(
                conn, principal.portal_id, catalogue, [UniqueWrite(row.id, row.properties)]
            )
            absorbed = (row.properties.get(MERGED_IDS) or "").split(";")
            unique_store.claim(
                conn,
                principal.portal_id,
                object_type.id,
                [(MERGED_IDS, i, row.id) for i in absorbed if i.isdigit()],
            )
            _note_restored_associations(conn, principal.portal_id, object_type.id, row.id)
    if row is None:
        raise ObjectNotFound()
    return CrmObject(object_type, row)


def _note_restored_associations(
    conn: Connection, portal_id: int, object_type_id: str, object_id: int
) -> None:
    """The journal (app webhooks): both rows of every association that is live again."""
    changes = journal(conn)
    if changes is None:
        return
    rows = association_store.rows_touching(conn, portal_id, object_type_id, {object_id})

    def other_end(r: Association) -> tuple[str, int]:
        restored_is_from = r.from_type == object_type_id and r.from_id == object_id
        return (r.to_type, r.to_id) if restored_is_from else (r.from_type, r.from_id)

    wanted: dict[str, set[int]] = {}
    for r in rows:
        other_type, other_id = other_end(r)
        wanted.setdefault(other_type, set()).add(other_id)
    live = {
        (t, i)
        for t, ids in wanted.items()
        for i in object_store.active_object_ids(conn, portal_id, t, ids)
    }
    changes += [
        AssociationChange(portal_id, r, removed=False) for r in rows if other_end(r) in live
    ]
