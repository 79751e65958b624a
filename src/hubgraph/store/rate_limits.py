"""Each portal's rate-limit tier (migration 0004_oauth); no row means the server default."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    SmallInteger,
    String,
    Table,
    delete,
    insert,
    select,
)

from hubgraph.store.tables import metadata

portal_rate_limits = Table(
    "portal_rate_limits",
    metadata,
    Column("portal_id", BigInteger, primary_key=True, autoincrement=False),
    Column("tier", String(32), nullable=False),
    Column("add_ons", SmallInteger, nullable=False),
    Column("ten_secondly_max", Integer, nullable=True),
    Column("daily_max", Integer, nullable=True),
)


@dataclass(frozen=True, slots=True)
class TierRow:
    tier: str
    add_ons: int
    ten_secondly_max: int | None
    daily_max: int | None


def set_tier(conn: Connection, portal_id: int, row: TierRow) -> None:
    # Delete then insert: one statement form that SQLite and PostgreSQL both take.
    conn.execute(delete(portal_rate_limits).where(portal_rate_limits.c.portal_id == portal_id))
    conn.execute(
        insert(portal_rate_limits).values(
            portal_id=portal_id,
            tier=row.tier,
            add_ons=row.add_ons,
            ten_secondly_max=row.ten_secondly_max,
            daily_max=row.daily_max,
        )
    )


def clear_tier(conn: Connection, portal_id: int) -> None:
    conn.execute(delete(portal_rate_limits).where(portal_rate_limits.c.portal_id == portal_id))


def find_tier(conn: Connection, portal_id: int) -> TierRow | None:
    row = conn.execute(
        select(portal_rate_limits).where(portal_rate_limits.c.portal_id == portal_id)
    ).first()
    if row is None:
        return None
    return TierRow(row.tier, int(row.add_ons), row.ten_secondly_max, row.daily_max)
