"""The inbox carries a body for an employer's message to its newcomer (a template code, the
employer's name and an optional note in the employer's own words).

Revision ID: 0008_inbox_body
Revises: 0007_nordhub
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_inbox_body"
down_revision = "0007_nordhub"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.add_column(sa.Column("body", sa.Text()))


def downgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("body")
