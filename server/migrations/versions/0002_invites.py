"""Family invites and redemption attempts (for rate limiting).

Revision ID: 0002_invites
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_invites"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invites",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("household_id", sa.String(32), sa.ForeignKey("households.id"), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_by", sa.String(32), sa.ForeignKey("members.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.Column("used_by", sa.String(32), sa.ForeignKey("members.id")),
    )
    op.create_index("ix_invites_household_id", "invites", ["household_id"])
    op.create_table(
        "redemption_attempts",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        sa.Column("device_id", sa.String(32), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_redemption_attempts_device_time", "redemption_attempts", ["device_id", "attempted_at"]
    )


def downgrade() -> None:
    op.drop_table("redemption_attempts")
    op.drop_table("invites")
