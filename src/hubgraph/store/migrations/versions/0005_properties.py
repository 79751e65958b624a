"""Custom properties and property groups; the holders of unique property values.

Revision ID: 0005_properties
Revises: 0007_portal_users
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_properties"
down_revision = "0007_portal_users"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "properties",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("object_type_id", sa.String(32), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("definition", sa.JSON, nullable=False),
        sa.Column("archived_at", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("portal_id", "object_type_id", "name"),
    )
    op.create_table(
        "property_groups",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("object_type_id", sa.String(32), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("display_order", sa.Integer, nullable=False),
        sa.Column("archived_at", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("portal_id", "object_type_id", "name"),
    )
    op.create_table(
        "unique_values",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("object_type_id", sa.String(32), nullable=False),
        sa.Column("property_name", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("object_id", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("portal_id", "object_type_id", "property_name", "value"),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "unique_values_holder", "unique_values", ["portal_id", "object_type_id", "object_id"]
    )


def downgrade() -> None:
    op.drop_index("unique_values_holder", table_name="unique_values")
    op.drop_table("unique_values")
    op.drop_table("property_groups")
    op.drop_table("properties")
