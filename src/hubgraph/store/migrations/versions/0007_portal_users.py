"""Portal users: who may sign in to the consent page, and for which portals.

Revision ID: 0007_portal_users
Revises: 0009_owners_pipelines
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_portal_users"
down_revision = "0009_owners_pipelines"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # One row per (portal, user): a HubSpot user id spans the accounts it belongs to.
    op.create_table(
        "portal_users",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("first_name", sa.Text, nullable=False),
        sa.Column("last_name", sa.Text, nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("portal_id", "user_id"),
        sa.UniqueConstraint("portal_id", "email", name="portal_users_email"),
    )
    op.create_index("portal_users_by_email", "portal_users", ["email"])


def downgrade() -> None:
    op.drop_index("portal_users_by_email", table_name="portal_users")
    op.drop_table("portal_users")
