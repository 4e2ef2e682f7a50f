"""Nordhub: employers (verified by a coordinator), their staff and staff invitations, relocation
cases with the family's consents per milestone and the employer's own tasks.

Revision ID: 0007_nordhub
Revises: 0006_household_quota
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_nordhub"
down_revision = "0006_household_quota"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "employers",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("org_number", sa.String(9), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("municipality", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("verified_at", WHEN),
        sa.Column("verified_by", sa.String(32), sa.ForeignKey("coordinators.id")),
    )
    op.create_table(
        "employer_staff",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("employer_id", sa.String(32), sa.ForeignKey("employers.id"), nullable=False),
        sa.Column("device_id", sa.String(32), sa.ForeignKey("devices.id"), unique=True),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("removed_at", WHEN),
    )
    op.create_index("ix_employer_staff_employer_id", "employer_staff", ["employer_id"])
    op.create_table(
        "staff_invites",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("employer_id", sa.String(32), sa.ForeignKey("employers.id"), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_by", sa.String(32), sa.ForeignKey("employer_staff.id"), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("used_at", WHEN),
    )
    op.create_index("ix_staff_invites_employer_id", "staff_invites", ["employer_id"])
    op.create_table(
        "relocation_cases",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("employer_id", sa.String(32), sa.ForeignKey("employers.id"), nullable=False),
        sa.Column("created_by", sa.String(32), sa.ForeignKey("employer_staff.id"), nullable=False),
        sa.Column("first_name", sa.String(60), nullable=False),
        sa.Column("role_title", sa.String(80), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("municipality", sa.Integer(), nullable=False),
        sa.Column("citizenship_group", sa.String(8), nullable=False),
        sa.Column("partner", sa.Boolean(), nullable=False),
        sa.Column("child_bands", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("needs_approval", sa.Boolean(), nullable=False),
        sa.Column("code_hash", sa.String(64), unique=True),
        sa.Column("code_expires_at", WHEN),
        sa.Column("household_id", sa.String(32), sa.ForeignKey("households.id"), unique=True),
        sa.Column("joined_at", WHEN),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_relocation_cases_employer_id", "relocation_cases", ["employer_id"])
    op.create_table(
        "case_consents",
        sa.Column("case_id", sa.String(32), sa.ForeignKey("relocation_cases.id"), primary_key=True),
        sa.Column("milestone", sa.String(20), primary_key=True),
        sa.Column("granted_at", WHEN, nullable=False),
    )
    op.create_table(
        "case_tasks",
        sa.Column("case_id", sa.String(32), sa.ForeignKey("relocation_cases.id"), primary_key=True),
        sa.Column("task_id", sa.String(40), primary_key=True),
        sa.Column("done_at", WHEN, nullable=False),
        sa.Column("done_by", sa.String(32), sa.ForeignKey("employer_staff.id"), nullable=False),
    )


def downgrade() -> None:
    for table in ("case_tasks", "case_consents", "relocation_cases", "staff_invites", "employer_staff"):
        op.drop_table(table)
    op.drop_table("employers")
