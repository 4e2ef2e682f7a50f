"""Request counts for rate limits, token rotation, and the tombstone purge horizon.

Revision ID: 0003_limits_tokens_tombstones
Revises: 0002_invites
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_limits_tokens_tombstones"
down_revision = "0002_invites"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "request_counts",
        sa.Column("device_id", sa.String(32), primary_key=True),
        sa.Column("window", sa.BigInteger, primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("prev_token_hash", sa.String(64)))
        batch.add_column(sa.Column("token_issued_at", sa.DateTime(timezone=True)))
        batch.create_index("ix_devices_prev_token_hash", ["prev_token_hash"])
    with op.batch_alter_table("households") as batch:
        batch.add_column(sa.Column("purged_seq", sa.BigInteger, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("households") as batch:
        batch.drop_column("purged_seq")
    with op.batch_alter_table("devices") as batch:
        batch.drop_index("ix_devices_prev_token_hash")
        batch.drop_column("token_issued_at")
        batch.drop_column("prev_token_hash")
    op.drop_table("request_counts")
