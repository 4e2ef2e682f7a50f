"""Trust: revocable invites and who may invite, the coordinators' audit log.

Revision ID: 0005_trust
Revises: 0004_superhost
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_trust"
down_revision = "0004_superhost"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("households") as batch:
        batch.add_column(sa.Column("invites_by", sa.String(8), nullable=False, server_default="members"))
    with op.batch_alter_table("invites") as batch:
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("invites") as batch:
        batch.drop_column("revoked_at")
    with op.batch_alter_table("households") as batch:
        batch.drop_column("invites_by")
