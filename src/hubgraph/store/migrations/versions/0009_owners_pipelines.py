"""Owners, pipelines, pipeline stages and their audit trail, per portal.

Revision ID: 0009_owners_pipelines
Revises: 0008_label_type_ids
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_owners_pipelines"
down_revision = "0008_label_type_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "owners",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=True),
        sa.Column("email", sa.Text, nullable=True),
        sa.Column("first_name", sa.Text, nullable=True),
        sa.Column("last_name", sa.Text, nullable=True),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("teams", sa.JSON, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.Column("archived_at", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("portal_id", "id"),
    )
    op.create_table(
        "pipelines",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("object_type_id", sa.String(32), nullable=False),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("display_order", sa.Integer, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.Column("archived_at", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("portal_id", "object_type_id", "id"),
    )
    op.create_table(
        "pipeline_stages",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("object_type_id", sa.String(32), nullable=False),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("pipeline_id", sa.String(64), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("display_order", sa.Integer, nullable=False),
        sa.Column("metadata", sa.JSON, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.Column("archived_at", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("portal_id", "object_type_id", "id"),
    )
    op.create_table(
        "pipeline_audits",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("id", sa.BigInteger, nullable=False),
        sa.Column("object_type_id", sa.String(32), nullable=False),
        sa.Column("pipeline_id", sa.String(64), nullable=False),
        sa.Column("stage_id", sa.String(64), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("at", sa.BigInteger, nullable=False),
        sa.Column("raw_object", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("portal_id", "id"),
    )


def downgrade() -> None:
    op.drop_table("pipeline_audits")
    op.drop_table("pipeline_stages")
    op.drop_table("pipelines")
    op.drop_table("owners")
