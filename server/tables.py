"""SQLAlchemy Core tables. The schema itself is created by the Alembic migrations; a test checks
that migrations and these definitions agree."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

households = Table(
    "households",
    metadata,
    Column("id", String(32), primary_key=True),
    # Last sequence number handed out; taken under a row lock so sequence order is commit order.
    Column("seq", BigInteger, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Highest sequence number whose rows were purged as old tombstones: a pull from an older
    # cursor could miss a delete, so it answers "reset required".
    Column("purged_seq", BigInteger, nullable=False, server_default="0"),
)

members = Table(
    "members",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("household_id", String(32), ForeignKey("households.id"), nullable=False, index=True),
    Column("role", String(16), nullable=False),  # owner | member
    Column("display_name", String(40), nullable=False, server_default=""),
    Column("joined_at", DateTime(timezone=True), nullable=False),
    Column("removed_at", DateTime(timezone=True)),
)

devices = Table(
    "devices",
    metadata,
    Column("id", String(32), primary_key=True),
    # sha256 of the bearer token; the token itself is never stored.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("member_id", String(32), ForeignKey("members.id"), index=True),
    # Highest outbox counter applied for this device: exactly-once effect of pushes.
    Column("last_counter", BigInteger, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    # Token rotation: the previous token stays valid until the new one is first used, so a lost
    # refresh answer never locks a phone out.
    Column("prev_token_hash", String(64), index=True),
    Column("token_issued_at", DateTime(timezone=True)),
)

# Current value of every synced field: pull cost grows with changes since the cursor, not history.
field_values = Table(
    "field_values",
    metadata,
    Column("household_id", String(32), ForeignKey("households.id"), primary_key=True),
    Column("entity", String(32), primary_key=True),
    Column("row_key", String(100), primary_key=True),
    Column("field", String(32), primary_key=True),
    Column("value", Text, nullable=False),
    Column("stamp", String(80), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("device_id", String(32), nullable=False),
)
Index("ix_field_values_household_seq", field_values.c.household_id, field_values.c.seq)

# Family invites: single use, short-lived, bound to one household; only the code's hash is kept.
invites = Table(
    "invites",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("household_id", String(32), ForeignKey("households.id"), nullable=False, index=True),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("created_by", String(32), ForeignKey("members.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
    Column("used_by", String(32), ForeignKey("members.id")),
)

# Redemption attempts per device, for rate limiting (kept in the database so that several API
# processes share the count).
redemption_attempts = Table(
    "redemption_attempts",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("device_id", String(32), nullable=False),
    Column("attempted_at", DateTime(timezone=True), nullable=False),
)
Index(
    "ix_redemption_attempts_device_time", redemption_attempts.c.device_id, redemption_attempts.c.attempted_at
)

# Requests per device per minute, for the sync rate limit (in the database so that several API
# processes share the count).
request_counts = Table(
    "request_counts",
    metadata,
    Column("device_id", String(32), primary_key=True),
    Column("window", BigInteger, primary_key=True),  # minutes since the epoch
    Column("count", Integer, nullable=False),
)
