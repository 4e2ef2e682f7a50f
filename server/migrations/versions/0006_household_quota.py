"""Sync quota per household: the rows and bytes it stores, counted from above (server/sync.py).

Revision ID: 0006_household_quota
Revises: 0005_trust
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_household_quota"
down_revision = "0005_trust"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("households") as batch:
        batch.add_column(sa.Column("stored_rows", sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("stored_bytes", sa.BigInteger(), nullable=False, server_default="0"))
    # Households that exist already start from their true figures.
    op.execute(
        "UPDATE households SET "
        "stored_rows = (SELECT count(*) FROM field_values f WHERE f.household_id = households.id), "
        "stored_bytes = (SELECT coalesce(sum(length(f.value)), 0) FROM field_values f "
        "WHERE f.household_id = households.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("households") as batch:
        batch.drop_column("stored_bytes")
        batch.drop_column("stored_rows")
