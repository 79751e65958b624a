"""The per-portal counter for USER_DEFINED association typeIds.

Revision ID: 0002_type_sequences
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_type_sequences"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "association_type_sequences",
        sa.Column("portal_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("next_type_id", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("association_type_sequences")
