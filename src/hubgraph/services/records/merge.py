"""``POST /crm/v3/objects/{objectType}/merge``: two records become one (reference §5.3).

As HubSpot does since its 2023 change for contacts and companies, the result is a new
record with a new id. It takes the primary's values, the other record's values for
properties the primary has no value for, and lists both old ids (and the ids they had
absorbed) in ``hs_merged_object_ids``. Both old ids keep working on GET and PATCH: they
are kept as unique values of ``hs_merged_object_ids`` pointing at the new record. The
associations of both move to it, the primary's first: when both had a primary company
(or deal), the other record's primary becomes a plain association. One transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection

from hubgraph.domain.associations import Association
from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.primary import holder_is_from
from hubgraph.domain.scopes import write_scopes
from hubgraph.errors import ObjectNotFound, ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations.definitions import (
    PortalAssociationTypes,
    portal_association_types,
)
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.ids import parse_object_id
from hubgraph.services.properties.catalogue import load_properties
from hubgraph.services.properties.unique import UniqueWrite, claim_unique_values
from hubgraph.services.records.reads import MERGED_IDS, CrmObject, Properties
from hubgraph.store import associations as association_store
from hubgraph.store import objects as object_store
from hubgraph.store import portals as portal_store
from hubgraph.store import unique_values as unique_store
from hubgraph.store.journal import MergeChange, note_merge
from hubgraph.store.objects import ObjectRow


def merge(
    services: Services,
    principal: Principal,
    object_type_name: str,
    primary_raw: str,
    other_raw: str,
) -> CrmObject:
    object_type = services.object_types.resolve(object_type_name, principal.portal_id)
    principal.require_any(write_scopes(object_type))
    portal_id = principal.portal_id
    primary_id, other_id = parse_object_id(primary_raw), parse_object_id(other_raw)
    if primary_id is not None and primary_id == other_id:
        raise ValidationError(
            f"Cannot merge {object_type.singular} {primary_raw} into itself",
            context={"objectId": [primary_raw]},
        )
    now = now_ms()
    with services.database.write() as conn:
        found = {
            r.id: r
            for r in object_store.get_objects(
                conn,
                portal_id,
                object_type.id,
                {i for i in (primary_id, other_id) if i is not None},
                archived=False,
                for_update=True,
            )
        }
        for raw, object_id in ((primary_raw, primary_id), (other_raw, other_id)):
            if object_id not in found:
                raise ObjectNotFound(f"{object_type.error_name} {raw} does not exist")
        assert primary_id is not None
        assert other_id is not None
        primary, other = found[primary_id], found[other_id]
        [merged_id] = portal_store.allocate_object_ids(conn, portal_id, 1)
        absorbed = _absorbed(primary, other)
        properties = _merged_properties(primary.properties, other.properties, absorbed)
        object_store.archive_objects(conn, portal_id, object_type.id, found, now)
        unique_store.release_records(conn, portal_id, object_type.id, found)
        object_store.insert_objects(conn, portal_id, object_type.id, [(merged_id, properties)], now)
        catalogue = load_properties(conn, portal_id, object_type)
        claim_unique_values(conn, portal_id, catalogue, [UniqueWrite(merged_id, properties)])
        unique_store.claim(
            conn, portal_id, object_type.id, [(MERGED_IDS, str(i), merged_id) for i in absorbed]
        )
        types = portal_association_types(services, conn, portal_id)
        _move_associations(conn, portal_id, object_type, types, primary_id, other_id, merged_id)
        note_merge(
            conn,
            MergeChange(
                portal_id,
                object_type.id,
                primary_id,
                (other_id,),
                merged_id,
                _properties_moved(primary.properties, other.properties),
            ),
        )
        row = ObjectRow(merged_id, properties, primary.created_at, now, None)
    return CrmObject(object_type, row)


def _absorbed(primary: ObjectRow, other: ObjectRow) -> list[int]:
    """Every id the new record stands for: both records and what each had absorbed."""
    ids = [primary.id, other.id]
    for row in (primary, other):
        ids += [int(i) for i in (row.properties.get(MERGED_IDS) or "").split(";") if i.isdigit()]
    return sorted(set(ids))


def _merged_properties(primary: Properties, other: Properties, absorbed: list[int]) -> Properties:
    merged: Properties = {k: v for k, v in other.items() if v not in (None, "")}
    merged.update({k: v for k, v in primary.items() if v not in (None, "")})
    merged[MERGED_IDS] = ";".join(str(i) for i in absorbed)
    return merged


def _properties_moved(primary: Properties, other: Properties) -> int:
    """``numberOfPropertiesMoved`` of the merge event: values the new record takes from the
    merged record because the primary had none (UNCONFIRMED how HubSpot counts them)."""
    return sum(
        1
        for k, v in other.items()
        if k != MERGED_IDS and v not in (None, "") and primary.get(k) in (None, "")
    )


def _move_associations(
    conn: Connection,
    portal_id: int,
    object_type: ObjectType,
    types: PortalAssociationTypes,
    primary_id: int,
    other_id: int,
    merged_id: int,
) -> None:
    old = association_store.rows_touching(conn, portal_id, object_type.id, {primary_id, other_id})
    ids = {primary_id, other_id}
    held = {
        r.to_type
        for r in old
        if r.from_id == primary_id and r.from_type == object_type.id and _holds_primary(types, r)
    }
    moved: set[Association] = set()
    for r in old:
        from_merged = r.from_type == object_type.id and r.from_id in ids
        to_merged = r.to_type == object_type.id and r.to_id in ids
        if from_merged and to_merged:
            continue  # an association between the two records themselves
        holder_side = r.from_id if from_merged else r.to_id
        target_type = r.to_type if from_merged else r.from_type
        if (
            holder_side == other_id
            and target_type in held
            and _is_primary_of_holder(types, r, from_merged)
        ):
            continue  # the primary's own primary wins (reference §5.3)
        moved.add(
            r._replace(
                from_id=merged_id if from_merged else r.from_id,
                to_id=merged_id if to_merged else r.to_id,
            )
        )
    association_store.delete_associations(conn, portal_id, old)
    association_store.insert_associations(conn, portal_id, sorted(moved), now_ms())


def _holds_primary(types: PortalAssociationTypes, r: Association) -> bool:
    t = types.get(r.category, r.type_id)
    return t is not None and t.is_primary and holder_is_from(t)


def _is_primary_of_holder(types: PortalAssociationTypes, r: Association, from_holder: bool) -> bool:
    """Whether ``r`` (either direction) is a primary type whose holder is the merged record."""
    t = types.get(r.category, r.type_id)
    if t is None or not t.is_primary:
        return False
    return holder_is_from(t) == from_holder
