"""High-usage reports: records at or above a share of a configured association limit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select

from hubgraph.store.associations import CATEGORIES_BY_CODE
from hubgraph.store.tables import association_limits, associations, high_usage_reports, objects


@dataclass(frozen=True, slots=True)
class LimitUsage:
    """One live record's use of one limited association type."""

    from_type: str
    from_id: int
    to_type: str
    category: str
    type_id: int
    count: int
    limit: int


def usage_at_or_above(
    conn: Connection, portal_id: int, numerator: int, denominator: int
) -> list[LimitUsage]:
    """Records whose count of a limited type is ≥ numerator/denominator of its limit: one query.

    Counts what the limit check on writes counts (``association_limits.target_counts``):
    rows to live records; associations to archived records are kept for a restore only.
    """
    a, lim = associations, association_limits
    target = objects.alias("target")
    live_target = and_(
        target.c.portal_id == a.c.portal_id,
        target.c.object_type_id == a.c.to_type,
        target.c.id == a.c.to_id,
        target.c.archived_at.is_(None),
    )
    joined = a.join(
        lim,
        and_(
            lim.c.portal_id == a.c.portal_id,
            lim.c.from_type == a.c.from_type,
            lim.c.to_type == a.c.to_type,
            lim.c.category == a.c.category,
            lim.c.type_id == a.c.type_id,
        ),
    ).join(target, live_target)
    holder_live = (
        select(objects.c.id)
        .where(
            objects.c.portal_id == a.c.portal_id,
            objects.c.object_type_id == a.c.from_type,
            objects.c.id == a.c.from_id,
            objects.c.archived_at.is_(None),
        )
        .exists()
    )
    count = func.count()
    rows = conn.execute(
        select(
            a.c.from_type,
            a.c.from_id,
            a.c.to_type,
            a.c.category,
            a.c.type_id,
            count.label("n"),
            lim.c.max_to_object_ids,
        )
        .select_from(joined)
        .where(a.c.portal_id == portal_id, holder_live)
        .group_by(
            a.c.from_type,
            a.c.from_id,
            a.c.to_type,
            a.c.category,
            a.c.type_id,
            lim.c.max_to_object_ids,
        )
        .having(count * denominator >= lim.c.max_to_object_ids * numerator)
        .order_by(a.c.from_type, a.c.from_id, a.c.to_type, a.c.category, a.c.type_id)
    )
    return [
        LimitUsage(
            r.from_type,
            int(r.from_id),
            r.to_type,
            CATEGORIES_BY_CODE[r.category].value,
            r.type_id,
            int(r.n),
            int(r.max_to_object_ids),
        )
        for r in rows
    ]


def replace_report(
    conn: Connection, portal_id: int, user_id: int, enqueued_at: int, records: list[dict[str, Any]]
) -> None:
    """A user keeps only their latest report."""
    conn.execute(
        delete(high_usage_reports).where(
            high_usage_reports.c.portal_id == portal_id, high_usage_reports.c.user_id == user_id
        )
    )
    conn.execute(
        insert(high_usage_reports).values(
            portal_id=portal_id, user_id=user_id, enqueued_at=enqueued_at, records=records
        )
    )


def latest_report(
    conn: Connection, portal_id: int, user_id: int
) -> tuple[int, list[dict[str, Any]]] | None:
    """The user's most recent report: (enqueued_at, records)."""
    r = conn.execute(
        select(high_usage_reports.c.enqueued_at, high_usage_reports.c.records).where(
            high_usage_reports.c.portal_id == portal_id,
            high_usage_reports.c.user_id == user_id,
        )
    ).first()
    return None if r is None else (int(r.enqueued_at), list(r.records))
