"""Households, members, devices and the current value of every synced field.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "households",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("household_id", sa.String(32), sa.ForeignKey("households.id"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("display_name", sa.String(40), nullable=False, server_default=""),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_members_household_id", "members", ["household_id"])
    op.create_table(
        "devices",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("member_id", sa.String(32), sa.ForeignKey("members.id")),
        sa.Column("last_counter", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_devices_member_id", "devices", ["member_id"])
    op.create_table(
        "field_values",
        sa.Column("household_id", sa.String(32), sa.ForeignKey("households.id"), primary_key=True),
        sa.Column("entity", sa.String(32), primary_key=True),
        sa.Column("row_key", sa.String(100), primary_key=True),
        sa.Column("field", sa.String(32), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("stamp", sa.String(80), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("device_id", sa.String(32), nullable=False),
    )
    op.create_index("ix_field_values_household_seq", "field_values", ["household_id", "seq"])


def downgrade() -> None:
    op.drop_table("field_values")
    op.drop_table("devices")
    op.drop_table("members")
    op.drop_table("households")
