"""High-usage reports of association limits; an index of archived records.

Revision ID: 0003_high_usage_reports
Revises: 0002_type_sequences
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_high_usage_reports"
down_revision = "0002_type_sequences"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "high_usage_reports",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("enqueued_at", sa.BigInteger, nullable=False),
        sa.Column("records", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("portal_id", "user_id"),
    )
    # Association reads leave out archived records; few records are archived, so a
    # partial index finds them without scanning the live ones.
    op.create_index(
        "objects_archived",
        "objects",
        ["portal_id", "object_type_id", "id"],
        postgresql_where=sa.text("archived_at IS NOT NULL"),
        sqlite_where=sa.text("archived_at IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("objects_archived", table_name="objects")
    op.drop_table("high_usage_reports")
