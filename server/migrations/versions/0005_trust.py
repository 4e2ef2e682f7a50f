"""Trust: revocable invites and who may invite, the coordinators' audit log, consent and host
details the host chooses to show, municipality changes counted.

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
    with op.batch_alter_table("hosts") as batch:
        batch.add_column(sa.Column("show_details", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("consented_at", sa.DateTime(timezone=True)))
    with op.batch_alter_table("host_seekers") as batch:
        batch.add_column(sa.Column("consented_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("municipality_changes", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("municipality_changed_at", sa.DateTime(timezone=True)))
    op.create_table(
        "audit_log",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("coordinator_id", sa.String(32), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(64), server_default="", nullable=False),
        sa.Column("detail", sa.String(300), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["coordinator_id"], ["coordinators.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
    with op.batch_alter_table("host_seekers") as batch:
        for column in ("municipality_changed_at", "municipality_changes", "consented_at"):
            batch.drop_column(column)
    with op.batch_alter_table("hosts") as batch:
        batch.drop_column("consented_at")
        batch.drop_column("show_details")
    with op.batch_alter_table("invites") as batch:
        batch.drop_column("revoked_at")
    with op.batch_alter_table("households") as batch:
        batch.drop_column("invites_by")
