"""Superhost: hosts, coordinators, certifications, host seekers, visit requests, inbox, blocks,
reports, declined pairs, neighbour allowances, group events.

Revision ID: 0004_superhost
Revises: 0003_limits_tokens_tombstones
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_superhost"
down_revision = "0003_limits_tokens_tombstones"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "group_events",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("municipality", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("organiser", sa.String(length=120), nullable=False),
        sa.Column("details", sa.String(length=500), server_default="", nullable=False),
        sa.Column("source_url", sa.String(length=300), nullable=True),
        sa.Column("uncertain", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("group_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_events_municipality"), ["municipality"], unique=False)

    op.create_table(
        "neighbour_allowances",
        sa.Column("municipality", sa.Integer(), nullable=False),
        sa.Column("neighbour", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("municipality", "neighbour"),
    )
    op.create_table(
        "coordinators",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=True),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.Column("code_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
        sa.UniqueConstraint("device_id"),
    )
    op.create_table(
        "hosts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("first_name", sa.String(length=40), nullable=False),
        sa.Column("municipality", sa.Integer(), nullable=False),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("interests", sa.String(length=300), server_default="", nullable=False),
        sa.Column("occupation", sa.String(length=60), server_default="", nullable=False),
        sa.Column("children_ages", sa.String(length=60), server_default="", nullable=False),
        sa.Column("language_mask", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("interest_mask", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("child_bands", sa.Integer(), server_default="0", nullable=False),
        sa.Column("visits_per_month", sa.Integer(), nullable=False),
        sa.Column("availability", sa.Integer(), server_default="0", nullable=False),
        sa.Column("introduction", sa.String(length=500), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("certified_until", sa.Date(), nullable=True),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suspension_reason", sa.String(length=300), nullable=True),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("device_id"),
    )
    with op.batch_alter_table("hosts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hosts_municipality_certified", ["municipality", "certified_until"], unique=False
        )

    op.create_table(
        "declined_pairs",
        sa.Column("household_id", sa.String(length=32), nullable=False),
        sa.Column("host_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_id"],
            ["hosts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
        ),
        sa.PrimaryKeyConstraint("household_id", "host_id"),
    )
    op.create_table(
        "host_blocks",
        sa.Column("household_id", sa.String(length=32), nullable=False),
        sa.Column("host_id", sa.String(length=32), nullable=False),
        sa.Column("blocked_by", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_id"],
            ["hosts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
        ),
        sa.PrimaryKeyConstraint("household_id", "host_id"),
    )
    op.create_table(
        "host_certifications",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("host_id", sa.String(length=32), nullable=False),
        sa.Column("coordinator_id", sa.String(length=32), nullable=False),
        sa.Column("interviewed_on", sa.Date(), nullable=False),
        sa.Column("trained_on", sa.Date(), nullable=False),
        sa.Column("code_of_conduct_version", sa.String(length=20), nullable=False),
        sa.Column("police_certificate_seen_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coordinator_id"],
            ["coordinators.id"],
        ),
        sa.ForeignKeyConstraint(
            ["host_id"],
            ["hosts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("host_certifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_host_certifications_host_id"), ["host_id"], unique=False)

    op.create_table(
        "host_seekers",
        sa.Column("household_id", sa.String(length=32), nullable=False),
        sa.Column("first_name", sa.String(length=40), nullable=False),
        sa.Column("municipality", sa.Integer(), nullable=False),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("interests", sa.String(length=300), server_default="", nullable=False),
        sa.Column("occupation", sa.String(length=60), server_default="", nullable=False),
        sa.Column("child_bands", sa.Integer(), server_default="0", nullable=False),
        sa.Column("party_size", sa.Integer(), nullable=False),
        sa.Column("availability", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status", sa.String(length=16), server_default="waiting", nullable=False),
        sa.Column("assigned_host_id", sa.String(length=32), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_host_id"],
            ["hosts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
        ),
        sa.PrimaryKeyConstraint("household_id"),
    )
    with op.batch_alter_table("host_seekers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_host_seekers_municipality"), ["municipality"], unique=False)

    op.create_table(
        "visit_requests",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("household_id", sa.String(length=32), nullable=False),
        sa.Column("host_id", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("message", sa.String(length=500), server_default="", nullable=False),
        sa.Column("party_size", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("meeting_place", sa.String(length=120), nullable=True),
        sa.Column("decline_reason", sa.String(length=300), nullable=True),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_id"],
            ["hosts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("household_id", "idempotency_key", name="uq_visit_requests_idempotency"),
    )
    with op.batch_alter_table("visit_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_requests_host_id"), ["host_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_requests_household_id"), ["household_id"], unique=False)

    op.create_table(
        "inbox",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("household_id", sa.String(length=32), nullable=True),
        sa.Column("host_id", sa.String(length=32), nullable=True),
        sa.Column("request_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["host_id"],
            ["hosts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["visit_requests.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_host_id"), ["host_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inbox_household_id"), ["household_id"], unique=False)

    op.create_table(
        "reports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.String(length=32), nullable=False),
        sa.Column("reported_by", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(length=500), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["handled_by"],
            ["coordinators.id"],
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["visit_requests.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "visit_feedback",
        sa.Column("request_id", sa.String(length=32), nullable=False),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(length=500), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["visit_requests.id"],
        ),
        sa.PrimaryKeyConstraint("request_id", "side"),
    )


def downgrade() -> None:
    op.drop_table("visit_feedback")
    op.drop_table("reports")
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_household_id"))
        batch_op.drop_index(batch_op.f("ix_inbox_host_id"))

    op.drop_table("inbox")
    with op.batch_alter_table("visit_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_requests_household_id"))
        batch_op.drop_index(batch_op.f("ix_visit_requests_host_id"))

    op.drop_table("visit_requests")
    with op.batch_alter_table("host_seekers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_host_seekers_municipality"))

    op.drop_table("host_seekers")
    with op.batch_alter_table("host_certifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_host_certifications_host_id"))

    op.drop_table("host_certifications")
    op.drop_table("host_blocks")
    op.drop_table("declined_pairs")
    with op.batch_alter_table("hosts", schema=None) as batch_op:
        batch_op.drop_index("ix_hosts_municipality_certified")

    op.drop_table("hosts")
    op.drop_table("coordinators")
    op.drop_table("neighbour_allowances")
    with op.batch_alter_table("group_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_events_municipality"))

    op.drop_table("group_events")
