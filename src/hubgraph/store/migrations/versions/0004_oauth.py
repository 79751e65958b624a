"""OAuth apps, authorization codes, access and refresh tokens; per-portal rate-limit tiers.

Revision ID: 0004_oauth
Revises: 0003_high_usage_reports
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_oauth"
down_revision = "0003_high_usage_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Apps belong to a developer account, not to a portal, so their key is the app id.
    op.create_table(
        "oauth_apps",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False, unique=True),
        sa.Column("client_secret_hash", sa.String(64), nullable=False),
        sa.Column("redirect_uris", sa.Text, nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "oauth_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("app_id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("redirect_uri", sa.Text, nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("code_challenge", sa.String(128), nullable=True),
        sa.Column("code_challenge_method", sa.String(8), nullable=True),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "oauth_refresh_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("app_id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    # portal_id is NULL for client_credentials tokens: they act for the app, not an account.
    op.create_table(
        "oauth_access_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("portal_id", sa.BigInteger, nullable=True),
        sa.Column("app_id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=True),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("token_use", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "portal_rate_limits",
        sa.Column("portal_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("tier", sa.String(32), nullable=False),
        sa.Column("add_ons", sa.SmallInteger, nullable=False),
        sa.Column("ten_secondly_max", sa.Integer, nullable=True),
        sa.Column("daily_max", sa.Integer, nullable=True),
    )


def downgrade() -> None:
    for table in (
        "portal_rate_limits",
        "oauth_access_tokens",
        "oauth_refresh_tokens",
        "oauth_codes",
        "oauth_apps",
    ):
        op.drop_table(table)
