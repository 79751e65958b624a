"""Read-only queries behind the web UI: counts, a filtered record list, association groups.

Nothing here is on an API's hot path; each query is still one statement bounded by a
portal (and, for a record's associations, by one record's key range).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    func,
    or_,
    select,
    tuple_,
)

from hubgraph.domain.associations import Association
from hubgraph.store.associations import CATEGORIES_BY_CODE, archived_ids
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


def portal_and_object(
    conn: Connection, portal_id: int, object_type_id: str, object_id: int
) -> tuple[PortalRow | None, ObjectRow | None]:
    """The portal and one of its records (archived or not), in one round trip."""
    o = objects.c
    r = conn.execute(
        select(portals_table.c.id, portals_table.c.name, objects)
        .select_from(
            portals_table.outerjoin(
                objects,
                (o.portal_id == portals_table.c.id)
                & (o.object_type_id == object_type_id)
                & (o.id == object_id),
            )
        )
        .where(portals_table.c.id == portal_id)
    ).first()
    if r is None:
        return None, None
    portal = PortalRow(int(r[0]), r[1])
    if r.properties is None:
        return portal, None
    return portal, ObjectRow(int(r[4]), r.properties, r.created_at, r.updated_at, r.archived_at)


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
    conn: Connection,
    portal_id: int,
    from_type: str,
    from_id: int,
    to_types: Collection[str],
    cap: int,
) -> dict[str, int]:
    """How many live records of each of ``to_types`` one record is associated with,
    counted up to ``cap + 1`` (so ``cap + 1`` means "more than ``cap``"); zeros left out.

    One statement, one bounded range scan of the primary key per type: an exact count
    reads every row of the record (all 100,000 of them), and on a freshly loaded
    PostgreSQL table each of those rows costs a heap visit.
    """
    ordered = tuple(to_types)
    if not ordered:
        return {}
    counts = conn.execute(
        _counts_statement(ordered),
        {"portal_id": portal_id, "from_type": from_type, "from_id": from_id, "cap": cap + 1},
    ).one()
    return {t: int(n) for t, n in zip(ordered, counts, strict=True) if n}


@cache
def _counts_statement(to_types: tuple[str, ...]) -> Select[Any]:
    """Built once per list of types: building it (one subquery per type, 30-odd types)
    cost more than running it."""
    a = associations.c

    def live_targets(to_type: str) -> Any:
        archived = select(objects.c.id).where(
            objects.c.portal_id == bindparam("portal_id"),
            objects.c.object_type_id == to_type,
            objects.c.archived_at.is_not(None),
        )
        distinct_targets = (
            select(a.to_id)
            .where(
                a.portal_id == bindparam("portal_id"),
                a.from_type == bindparam("from_type"),
                a.from_id == bindparam("from_id"),
                a.to_type == to_type,
                a.to_id.not_in(archived),
            )
            .distinct()
            .limit(bindparam("cap", type_=Integer))
            .subquery()
        )
        return select(func.count()).select_from(distinct_targets).scalar_subquery()

    return select(*[live_targets(t).label(f"c{i}") for i, t in enumerate(to_types)])


@dataclass(frozen=True, slots=True)
class AssociatedPage:
    rows: list[Association]
    """The record's rows to the page's targets, ascending by target."""
    properties: dict[int, dict[str, str | None]]
    """Each target's properties, to name it."""


def associated_page(
    conn: Connection,
    portal_id: int,
    from_type: str,
    from_id: int,
    to_type: str,
    after_id: int,
    limit: int,
) -> AssociatedPage:
    """One record's rows to the first ``limit`` live records of ``to_type`` above
    ``after_id``, with those records' properties: two key-range statements.

    The v4 reads' windowed query ranks every target of the record first; for one record
    a ``LIMIT`` on its ordered targets (a range of the primary key) stops after the page,
    whatever the record's size.
    """
    a = associations.c
    o = objects.c
    of_record = (
        a.portal_id == portal_id,
        a.from_type == from_type,
        a.from_id == from_id,
        a.to_type == to_type,
    )
    # Two statements on purpose: with the targets as a subquery, PostgreSQL planned a freshly
    # loaded table (no statistics yet) as a nested loop over all of the record's rows
    # times all records of the type (40 s for 10,000); a list of ids plans as key lookups.
    targets = list(
        conn.execute(
            select(a.to_id)
            .where(
                *of_record,
                a.to_id > after_id,
                a.to_id.not_in(archived_ids(conn.dialect.name, portal_id, to_type)),
            )
            .distinct()
            .order_by(a.to_id)
            .limit(limit)
        ).scalars()
    )
    if not targets:
        return AssociatedPage([], {})
    rows = conn.execute(
        select(a.to_id, a.category, a.type_id, o.properties)
        .join(
            objects,
            (o.portal_id == a.portal_id) & (o.object_type_id == a.to_type) & (o.id == a.to_id),
        )
        .where(*of_record, a.to_id.in_(targets))
        .order_by(a.to_id, a.category, a.type_id)
    )
    page = AssociatedPage([], {})
    for to_id, category, type_id, properties in rows:
        page.rows.append(
            Association(
                from_type, from_id, to_type, int(to_id), CATEGORIES_BY_CODE[category], type_id
            )
        )
        page.properties[int(to_id)] = properties
    return page


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
