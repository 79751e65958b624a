"""Read-only queries behind the web UI: counts, a filtered record list, association groups.

Nothing here is on an API's hot path; each query is still one statement bounded by a
portal (and, for a record's associations, by one record's key range).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Select, String, cast, func, or_, select, tuple_

from hubgraph.domain.associations import Association
from hubgraph.store.associations import CATEGORIES_BY_CODE
from hubgraph.store.objects import ObjectRow
from hubgraph.store.tables import association_limits, association_types, associations, objects
from hubgraph.store.tables import portals as portals_table


@dataclass(frozen=True, slots=True)
class PortalRow:
    id: int
    name: str


def list_portals(conn: Connection) -> list[PortalRow]:
    rows = conn.execute(
        select(portals_table.c.id, portals_table.c.name).order_by(portals_table.c.id)
    )
    return [PortalRow(int(r.id), r.name) for r in rows]


def get_portal(conn: Connection, portal_id: int) -> PortalRow | None:
    r = conn.execute(
        select(portals_table.c.id, portals_table.c.name).where(portals_table.c.id == portal_id)
    ).first()
    return None if r is None else PortalRow(int(r.id), r.name)


def record_counts(conn: Connection, portal_id: int | None = None) -> dict[tuple[int, str], int]:
    """Live records per (portal, objectTypeId), of one portal or of all."""
    query = (
        select(objects.c.portal_id, objects.c.object_type_id, func.count())
        .where(objects.c.archived_at.is_(None))
        .group_by(objects.c.portal_id, objects.c.object_type_id)
    )
    if portal_id is not None:
        query = query.where(objects.c.portal_id == portal_id)
    return {(int(p), t): int(n) for p, t, n in conn.execute(query)}


def association_counts(conn: Connection, portal_id: int | None = None) -> dict[int, int]:
    """Associated record pairs per portal, each counted once.

    Every association is stored once per direction and once per type; counting distinct
    pairs in one direction (the smaller key first) counts each pair of records once.
    """
    a = associations.c
    pairs = select(a.portal_id, a.from_type, a.from_id, a.to_type, a.to_id).where(
        tuple_(a.from_type, a.from_id) < tuple_(a.to_type, a.to_id)
    )
    if portal_id is not None:
        pairs = pairs.where(a.portal_id == portal_id)
    distinct_pairs = pairs.distinct().subquery()
    rows = conn.execute(
        select(distinct_pairs.c.portal_id, func.count()).group_by(distinct_pairs.c.portal_id)
    )
    return {int(p): int(n) for p, n in rows}


def _like_escaped(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filter_objects(
    conn: Connection,
    portal_id: int,
    object_type_id: str,
    *,
    text: str,
    exact_id: int | None,
    after_id: int,
    limit: int,
) -> list[ObjectRow]:
    """Live records whose id is ``exact_id`` or whose properties' JSON text contains
    ``text`` (case-insensitive), ascending by id after ``after_id``.

    A plain filter for people looking at a test portal, not HubSpot's search: it scans
    the type's records, which is fine at the sizes a developer browses.
    """
    matches: list[ColumnElement[bool]] = [
        func.lower(cast(objects.c.properties, String)).like(
            _like_escaped(text.lower()), escape="\\"
        )
    ]
    if exact_id is not None:
        matches.append(objects.c.id == exact_id)
    rows = conn.execute(
        select(objects)
        .where(
            objects.c.portal_id == portal_id,
            objects.c.object_type_id == object_type_id,
            objects.c.archived_at.is_(None),
            objects.c.id > after_id,
            or_(*matches),
        )
        .order_by(objects.c.id)
        .limit(limit)
    )
    return [ObjectRow(r.id, r.properties, r.created_at, r.updated_at, r.archived_at) for r in rows]


def associated_counts(
    conn: Connection, portal_id: int, from_type: str, from_id: int
) -> dict[str, int]:
    """How many live records of each object type one record is associated with.

    All targets are counted in one pass over the record's key range; the archived ones
    (a small set, read through the partial index objects_archived) are counted apart and
    taken off: a per-row ``NOT IN`` made the count ten times slower on a record with
    10,000 targets.
    """
    a = associations.c
    of_record = (a.portal_id == portal_id, a.from_type == from_type, a.from_id == from_id)
    totals = {
        t: int(n)
        for t, n in conn.execute(
            select(a.to_type, func.count(a.to_id.distinct())).where(*of_record).group_by(a.to_type)
        )
    }
    archived = conn.execute(
        select(a.to_type, func.count(a.to_id.distinct()))
        .where(
            *of_record,
            tuple_(a.to_type, a.to_id).in_(
                select(objects.c.object_type_id, objects.c.id).where(
                    objects.c.portal_id == portal_id, objects.c.archived_at.is_not(None)
                )
            ),
        )
        .group_by(a.to_type)
    )
    for to_type, n in archived:
        totals[to_type] -= int(n)
    return {t: n for t, n in totals.items() if n}


def associated_page(
    conn: Connection,
    portal_id: int,
    from_type: str,
    from_id: int,
    to_type: str,
    after_id: int,
    limit: int,
) -> list[Association]:
    """One record's rows to the first ``limit`` live records of ``to_type`` above
    ``after_id``, ascending: two range scans of the primary key.

    The v4 reads' windowed query ranks every target of the record first; for one record
    a ``LIMIT`` on the ordered targets stops after the page, whatever the record's size.
    """
    a = associations.c
    of_record = (
        a.portal_id == portal_id,
        a.from_type == from_type,
        a.from_id == from_id,
        a.to_type == to_type,
    )
    targets = list(
        conn.execute(
            select(a.to_id)
            .where(
                *of_record,
                a.to_id > after_id,
                a.to_id.not_in(_archived_ids(portal_id, to_type)),
            )
            .distinct()
            .order_by(a.to_id)
            .limit(limit)
        ).scalars()
    )
    if not targets:
        return []
    rows = conn.execute(
        select(a.to_id, a.category, a.type_id)
        .where(*of_record, a.to_id.in_(targets))
        .order_by(a.to_id, a.category, a.type_id)
    )
    return [
        Association(from_type, from_id, to_type, int(to_id), CATEGORIES_BY_CODE[category], type_id)
        for to_id, category, type_id in rows
    ]


def _archived_ids(portal_id: int, object_type_id: str) -> Select[tuple[int]]:
    """The archived records of one type, read through the partial index objects_archived."""
    return select(objects.c.id).where(
        objects.c.portal_id == portal_id,
        objects.c.object_type_id == object_type_id,
        objects.c.archived_at.is_not(None),
    )


def _target_types(
    conn: Connection, portal_id: int, from_type: str, from_ids: Collection[int]
) -> list[str]:
    a = associations.c
    return list(
        conn.execute(
            select(a.to_type)
            .where(
                a.portal_id == portal_id, a.from_type == from_type, a.from_id.in_(list(from_ids))
            )
            .distinct()
        ).scalars()
    )


def target_types(
    conn: Connection, portal_id: int, from_type: str, from_ids: Collection[int]
) -> list[str]:
    """The object types the given records have association rows to: one query."""
    if not from_ids:
        return []
    return sorted(_target_types(conn, portal_id, from_type, from_ids))


def configured_pairs(conn: Connection, portal_id: int) -> dict[tuple[str, str], tuple[int, int]]:
    """(from, to) → (USER_DEFINED types, custom limits) for every pair that has any."""
    found: dict[tuple[str, str], tuple[int, int]] = {}
    t, lim = association_types.c, association_limits.c
    for f, to, n in conn.execute(
        select(t.from_type, t.to_type, func.count())
        .where(t.portal_id == portal_id)
        .group_by(t.from_type, t.to_type)
    ):
        found[(f, to)] = (int(n), 0)
    for f, to, n in conn.execute(
        select(lim.from_type, lim.to_type, func.count())
        .where(lim.portal_id == portal_id)
        .group_by(lim.from_type, lim.to_type)
    ):
        found[(f, to)] = (found.get((f, to), (0, 0))[0], int(n))
    return found


def type_names(conn: Connection, portal_id: int) -> dict[tuple[int, int], str]:
    """(category code, typeId) → the internal ``name`` of each USER_DEFINED type."""
    t = association_types.c
    rows = conn.execute(select(t.category, t.type_id, t.name).where(t.portal_id == portal_id))
    return {(int(c), int(i)): n for c, i, n in rows}
