"""Custom object schemas.

Revision ID: 0011_custom_objects
Revises: 0006_search
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_custom_objects"
down_revision = "0006_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "custom_object_schemas",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("type_number", sa.BigInteger, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text, nullable=False),
        sa.Column("definition", sa.JSON, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.Column("archived_at", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("portal_id", "type_number"),
    )
    op.create_index(
        "custom_object_schemas_name",
        "custom_object_schemas",
        ["portal_id", "name_key"],
        unique=True,
    )
    op.create_table(
        "custom_object_type_sequence",
        sa.Column("id", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("next_number", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("custom_object_type_sequence")
    op.drop_index("custom_object_schemas_name", table_name="custom_object_schemas")
    op.drop_table("custom_object_schemas")
