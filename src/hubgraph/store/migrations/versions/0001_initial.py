"""Portals, tokens, records, associations, user-defined association types, limits.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portals",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("next_object_id", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "objects",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("object_type_id", sa.String(32), nullable=False),
        sa.Column("id", sa.BigInteger, nullable=False),
        sa.Column("properties", sa.JSON, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.Column("archived_at", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("portal_id", "object_type_id", "id"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "associations",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("from_type", sa.String(32), nullable=False),
        sa.Column("from_id", sa.BigInteger, nullable=False),
        sa.Column("to_type", sa.String(32), nullable=False),
        sa.Column("to_id", sa.BigInteger, nullable=False),
        sa.Column("category", sa.SmallInteger, nullable=False),
        sa.Column("type_id", sa.Integer, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint(
            "portal_id", "from_type", "from_id", "to_type", "to_id", "category", "type_id"
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "association_types",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("category", sa.SmallInteger, nullable=False),
        sa.Column("type_id", sa.Integer, nullable=False),
        sa.Column("from_type", sa.String(32), nullable=False),
        sa.Column("to_type", sa.String(32), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=True),
        sa.Column("inverse_type_id", sa.Integer, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("portal_id", "category", "type_id"),
    )
    op.create_table(
        "association_limits",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("from_type", sa.String(32), nullable=False),
        sa.Column("to_type", sa.String(32), nullable=False),
        sa.Column("category", sa.SmallInteger, nullable=False),
        sa.Column("type_id", sa.Integer, nullable=False),
        sa.Column("max_to_object_ids", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("portal_id", "from_type", "to_type", "category", "type_id"),
    )


def downgrade() -> None:
    for table in (
        "association_limits",
        "association_types",
        "associations",
        "objects",
        "tokens",
        "portals",
    ):
        op.drop_table(table)
