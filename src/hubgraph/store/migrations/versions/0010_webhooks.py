"""App webhooks: developer accounts, settings, subscriptions, the event outbox.

Revision ID: 0010_webhooks
Revises: 0004_oauth
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_webhooks"
down_revision = "0004_oauth"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "developer_accounts",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("api_key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    with op.batch_alter_table("oauth_apps") as batch:
        batch.add_column(sa.Column("developer_account_id", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("client_secret", sa.Text, nullable=True))
    op.create_table(
        "webhook_settings",
        sa.Column("app_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("target_url", sa.Text, nullable=False),
        sa.Column("max_concurrent_requests", sa.Integer, nullable=False),
        sa.Column("period", sa.String(16), nullable=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=True),
    )
    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("app_id", sa.BigInteger, nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("property_name", sa.Text, nullable=True),
        sa.Column("object_type_id", sa.String(32), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=True),
    )
    op.create_index("webhook_subscriptions_app", "webhook_subscriptions", ["app_id"])
    op.create_table(
        "webhook_events",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("id", sa.BigInteger, nullable=False),
        sa.Column("app_id", sa.BigInteger, nullable=False),
        sa.Column("subscription_id", sa.Integer, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("occurred_at", sa.BigInteger, nullable=False),
        sa.Column("attempt_number", sa.Integer, nullable=False),
        sa.Column("state", sa.SmallInteger, nullable=False),
        sa.Column("next_attempt_at", sa.BigInteger, nullable=False),
        sa.Column("claimed_until", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("portal_id", "id"),
    )
    op.create_index("webhook_events_due", "webhook_events", ["state", "next_attempt_at"])
    op.create_table(
        "webhook_attempts",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("event_id", sa.BigInteger, nullable=False),
        sa.Column("attempt_number", sa.Integer, nullable=False),
        sa.Column("sent_at", sa.BigInteger, nullable=False),
        sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.Column("status_code", sa.Integer, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("portal_id", "event_id", "attempt_number", "sent_at"),
    )
    op.create_table(
        "webhook_event_sequences",
        sa.Column("portal_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("next_event_id", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "webhook_event_sequences",
        "webhook_attempts",
        "webhook_events",
        "webhook_subscriptions",
        "webhook_settings",
    ):
        op.drop_table(table)
    with op.batch_alter_table("oauth_apps") as batch:
        batch.drop_column("client_secret")
        batch.drop_column("developer_account_id")
    op.drop_table("developer_accounts")
