"""Renumber USER_DEFINED typeIds that equal a HUBSPOT_DEFINED typeId.

Labels used to be numbered from 1, so a portal's first label got 1, HubSpot's "Primary"
(issue 13). Each such label gets the next free typeId of its portal that HubSpot does not
define (domain/label_type_ids.py), and so do the associations and custom limits that
carry it and the label's inverse. The portal's sequence moves past the new ids.

Revision ID: 0008_label_type_ids
Revises: 0010_webhooks
"""

import sqlalchemy as sa
from alembic import op

from hubgraph.domain.label_type_ids import next_free_run, reserved_type_ids

revision = "0008_label_type_ids"
down_revision = "0010_webhooks"
branch_labels = None
depends_on = None

USER_DEFINED = 2  # store.associations.CATEGORY_CODES, fixed in the schema

_types = sa.table(
    "association_types",
    sa.column("portal_id", sa.BigInteger),
    sa.column("category", sa.SmallInteger),
    sa.column("type_id", sa.Integer),
    sa.column("inverse_type_id", sa.Integer),
)
_associations = sa.table(
    "associations",
    sa.column("portal_id", sa.BigInteger),
    sa.column("category", sa.SmallInteger),
    sa.column("type_id", sa.Integer),
)
_limits = sa.table(
    "association_limits",
    sa.column("portal_id", sa.BigInteger),
    sa.column("category", sa.SmallInteger),
    sa.column("type_id", sa.Integer),
)
_sequences = sa.table(
    "association_type_sequences",
    sa.column("portal_id", sa.BigInteger),
    sa.column("next_type_id", sa.Integer),
)


def upgrade() -> None:
    conn = op.get_bind()
    reserved = reserved_type_ids()
    rows = conn.execute(
        sa.select(_types.c.portal_id, _types.c.type_id).where(_types.c.category == USER_DEFINED)
    ).all()
    used: dict[int, set[int]] = {}
    for row in rows:
        used.setdefault(int(row.portal_id), set()).add(int(row.type_id))
    for portal_id, type_ids in used.items():
        clashing = sorted(t for t in type_ids if t in reserved)
        if clashing:
            _renumber(conn, portal_id, clashing, type_ids)


def _renumber(conn: sa.Connection, portal_id: int, clashing: list[int], used: set[int]) -> None:
    sequence = conn.execute(
        sa.select(_sequences.c.next_type_id).where(_sequences.c.portal_id == portal_id)
    ).scalar()
    candidate = max([int(sequence or 1), *(t + 1 for t in used)])
    moves: dict[int, int] = {}
    for old in clashing:
        [new] = next_free_run(candidate, 1)
        moves[old] = new
        candidate = new + 1
    for old, new in moves.items():
        user = sa.and_(_types.c.portal_id == portal_id, _types.c.category == USER_DEFINED)
        conn.execute(sa.update(_types).where(user, _types.c.type_id == old).values(type_id=new))
        conn.execute(
            sa.update(_types)
            .where(user, _types.c.inverse_type_id == old)
            .values(inverse_type_id=new)
        )
        for table in (_associations, _limits):
            conn.execute(
                sa.update(table)
                .where(
                    table.c.portal_id == portal_id,
                    table.c.category == USER_DEFINED,
                    table.c.type_id == old,
                )
                .values(type_id=new)
            )
    next_id = candidate
    if sequence is None:
        conn.execute(sa.insert(_sequences).values(portal_id=portal_id, next_type_id=next_id))
    else:
        conn.execute(
            sa.update(_sequences)
            .where(_sequences.c.portal_id == portal_id)
            .values(next_type_id=next_id)
        )


def downgrade() -> None:
    # The old numbers are not kept; renumbered labels keep their new typeIds.
    pass
