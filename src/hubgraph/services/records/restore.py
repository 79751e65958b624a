"""Restoring an archived record (HubSpot does it in its UI, for 90 days; reference §10.4).

The record's association rows were kept while it was archived, so they come back with it.
"""

from __future__ import annotations

from hubgraph.domain.scopes import write_scopes
from hubgraph.errors import ObjectNotFound
from hubgraph.services.access.portals import Principal
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.ids import parse_object_id
from hubgraph.services.properties.catalogue import load_properties
from hubgraph.services.properties.unique import UniqueWrite, claim_unique_values
from hubgraph.services.records.reads import MERGED_IDS, CrmObject
from hubgraph.store import objects as object_store
from hubgraph.store import unique_values as unique_store


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
    if row is None:
        raise ObjectNotFound()
    return CrmObject(object_type, row)
