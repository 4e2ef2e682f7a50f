"""SQLAlchemy Core tables. The schema itself is created by the Alembic migrations; a test checks
that migrations and these definitions agree."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
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
    # Who may invite: "members" (everyone in the household) or "owner" (the owner chooses).
    Column("invites_by", String(8), nullable=False, server_default="members"),
    # What the household stores in sync, counted from above: every write adds its row and bytes,
    # and a recount sets the true figures when the count reaches the quota (server/sync.py).
    Column("stored_rows", BigInteger, nullable=False, server_default="0"),
    Column("stored_bytes", BigInteger, nullable=False, server_default="0"),
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
    # Withdrawn by a member, or with its maker's removal: never redeemable again.
    Column("revoked_at", DateTime(timezone=True)),
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

# ---- Superhost -------------------------------------------------------------------------------
# Codes (languages, interests) come from services/host_wire.py; lists are stored comma-separated.

# A local host: a person using the app in host mode, known by their phone. Receives nothing until
# a coordinator has certified them; `certified_until` mirrors the latest certification so that
# suggestions filter with one indexed comparison, and suspension takes effect at once.
hosts = Table(
    "hosts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("device_id", String(32), ForeignKey("devices.id"), nullable=False, unique=True),
    Column("first_name", String(40), nullable=False),
    Column("municipality", Integer, nullable=False),
    Column("languages", String(100), nullable=False),
    Column("interests", String(300), nullable=False, server_default=""),
    Column("occupation", String(60), nullable=False, server_default=""),
    Column("children_ages", String(60), nullable=False, server_default=""),
    # The same facts as bit masks (services/host_wire.py order), for filtering and scoring in bulk.
    Column("language_mask", BigInteger, nullable=False, server_default="0"),
    Column("interest_mask", BigInteger, nullable=False, server_default="0"),
    Column("child_bands", Integer, nullable=False, server_default="0"),
    Column("visits_per_month", Integer, nullable=False),
    Column("availability", Integer, nullable=False, server_default="0"),
    Column("introduction", String(500), nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("certified_until", Date),
    Column("suspended_at", DateTime(timezone=True)),
    Column("suspension_reason", String(300)),
    Column("demo", Boolean, nullable=False, server_default=false()),
    # Occupation and introduction shown before a request is accepted only if the host chooses.
    Column("show_details", Boolean, nullable=False, server_default=false()),
    # When the host agreed to the privacy notice's purpose "host profile" (required to save one).
    Column("consented_at", DateTime(timezone=True)),
)
Index("ix_hosts_municipality_certified", hosts.c.municipality, hosts.c.certified_until)

# County service coordinators. Created with `python -m server.coordinators create`, which prints a
# one-time enrolment code; the coordinator types it into the app, which binds their phone.
coordinators = Table(
    "coordinators",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(80), nullable=False),
    Column("device_id", String(32), ForeignKey("devices.id"), unique=True),
    Column("code_hash", String(64), unique=True),
    Column("code_expires_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

# Certification is data: who checked what and when. A police certificate is seen, never copied.
host_certifications = Table(
    "host_certifications",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("host_id", String(32), ForeignKey("hosts.id"), nullable=False, index=True),
    Column("coordinator_id", String(32), ForeignKey("coordinators.id"), nullable=False),
    Column("interviewed_on", Date, nullable=False),
    Column("trained_on", Date, nullable=False),
    Column("code_of_conduct_version", String(20), nullable=False),
    Column("police_certificate_seen_on", Date, nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# A household looking for a host: what matching needs, and nothing more (no employer, no arrival
# date, children only as age bands). `assigned_host_id` is the latest matching round's pick.
host_seekers = Table(
    "host_seekers",
    metadata,
    Column("household_id", String(32), ForeignKey("households.id"), primary_key=True),
    Column("first_name", String(40), nullable=False),
    Column("municipality", Integer, nullable=False, index=True),
    Column("languages", String(100), nullable=False),  # preferred first
    Column("interests", String(300), nullable=False, server_default=""),
    Column("occupation", String(60), nullable=False, server_default=""),
    Column("child_bands", Integer, nullable=False, server_default="0"),
    Column("party_size", Integer, nullable=False),
    Column("availability", Integer, nullable=False, server_default="0"),
    Column("status", String(16), nullable=False, server_default="waiting"),  # waiting|matched|waitlisted
    Column("assigned_host_id", String(32), ForeignKey("hosts.id")),
    # When a member agreed to the purpose "matching profile" (required to save one).
    Column("consented_at", DateTime(timezone=True)),
    # Moving is rare: at most a few municipality changes a month, so a family cannot sweep the
    # county's hosts by changing its municipality.
    Column("municipality_changes", Integer, nullable=False, server_default="0"),
    Column("municipality_changed_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Municipalities whose hosts a coordinator allows for another's newcomers (stored both ways).
neighbour_allowances = Table(
    "neighbour_allowances",
    metadata,
    Column("municipality", Integer, primary_key=True),
    Column("neighbour", Integer, primary_key=True),
)

visit_requests = Table(
    "visit_requests",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("household_id", String(32), ForeignKey("households.id"), nullable=False, index=True),
    Column("host_id", String(32), ForeignKey("hosts.id"), nullable=False, index=True),
    Column("state", String(16), nullable=False),
    Column("message", String(500), nullable=False, server_default=""),
    Column("party_size", Integer, nullable=False),
    Column("starts_at", DateTime(timezone=True)),
    Column("meeting_place", String(120)),
    Column("decline_reason", String(300)),
    Column("idempotency_key", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("household_id", "idempotency_key", name="uq_visit_requests_idempotency"),
)

visit_feedback = Table(
    "visit_feedback",
    metadata,
    Column("request_id", String(32), ForeignKey("visit_requests.id"), primary_key=True),
    Column("side", String(10), primary_key=True),  # newcomer | host
    Column("rating", Integer, nullable=False),  # 1..5
    Column("comment", String(500), nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The in-app inbox, the reliable channel for both sides: one row per event for one recipient
# (a household or a host).
inbox = Table(
    "inbox",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("household_id", String(32), ForeignKey("households.id"), index=True),
    Column("host_id", String(32), ForeignKey("hosts.id"), index=True),
    Column("request_id", String(32), ForeignKey("visit_requests.id")),
    Column("kind", String(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True)),
    # An employer's message (JSON: template code, employer name, optional note); else empty.
    Column("body", Text),
)

# Blocked pairs are never matched again, whichever side blocked.
host_blocks = Table(
    "host_blocks",
    metadata,
    Column("household_id", String(32), ForeignKey("households.id"), primary_key=True),
    Column("host_id", String(32), ForeignKey("hosts.id"), primary_key=True),
    Column("blocked_by", String(10), nullable=False),  # newcomer | host
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Pairs a host declined or let expire: not suggested to that household again.
declined_pairs = Table(
    "declined_pairs",
    metadata,
    Column("household_id", String(32), ForeignKey("households.id"), primary_key=True),
    Column("host_id", String(32), ForeignKey("hosts.id"), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

reports = Table(
    "reports",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("request_id", String(32), ForeignKey("visit_requests.id"), nullable=False),
    Column("reported_by", String(10), nullable=False),  # newcomer | host
    Column("reason", String(32), nullable=False),
    Column("text", String(500), nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("handled_at", DateTime(timezone=True)),
    Column("handled_by", String(32), ForeignKey("coordinators.id")),
)

# Group formats a coordinator keeps current: the alternative while a family waits for a host.
group_events = Table(
    "group_events",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("municipality", Integer, index=True),  # NULL: county-wide
    Column("kind", String(20), nullable=False),  # theme_evening | language_cafe
    Column("title", String(120), nullable=False),
    Column("organiser", String(120), nullable=False),
    Column("details", String(500), nullable=False, server_default=""),
    Column("source_url", String(300)),
    Column("uncertain", Boolean, nullable=False, server_default=false()),
)

# What coordinators did (certify, suspend, handle a report, neighbours, rounds, enrol), readable
# by every coordinator: who did what to which record, and when. No personal details in `detail`.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("coordinator_id", String(32), ForeignKey("coordinators.id"), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", String(64), nullable=False, server_default=""),
    Column("detail", String(300), nullable=False, server_default=""),
)

# ---- Nordhub: employers, their staff and relocation cases -------------------------------------------

# An organisation (Enhetsregisteret number, check digit validated). A coordinator verifies it
# before its cases can be joined: an unverified employer sees no newcomer.
employers = Table(
    "employers",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("org_number", String(9), nullable=False, unique=True),
    Column("name", String(120), nullable=False),
    Column("municipality", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("verified_at", DateTime(timezone=True)),
    Column("verified_by", String(32), ForeignKey("coordinators.id")),
)

# A phone of an employer's staff member (admin or HR); one employer per phone.
employer_staff = Table(
    "employer_staff",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("employer_id", String(32), ForeignKey("employers.id"), nullable=False, index=True),
    # Emptied when the person erases their data (the row stays: cases and tasks point at it).
    Column("device_id", String(32), ForeignKey("devices.id"), unique=True),
    Column("name", String(60), nullable=False),
    Column("role", String(8), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("removed_at", DateTime(timezone=True)),
)

# Staff invitation codes: the same rules as family invites (single use, 72 hours, hash only).
staff_invites = Table(
    "staff_invites",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("employer_id", String(32), ForeignKey("employers.id"), nullable=False, index=True),
    Column("role", String(8), nullable=False),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("created_by", String(32), ForeignKey("employer_staff.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
)

# An incoming employee, pre-registered by HR; the newcomer's household joins it with its code.
# Children are age bands only.
relocation_cases = Table(
    "relocation_cases",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("employer_id", String(32), ForeignKey("employers.id"), nullable=False, index=True),
    Column("created_by", String(32), ForeignKey("employer_staff.id"), nullable=False),
    Column("first_name", String(60), nullable=False),
    Column("role_title", String(80), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("municipality", Integer, nullable=False),
    Column("citizenship_group", String(8), nullable=False),
    Column("partner", Boolean, nullable=False),
    Column("child_bands", Text, nullable=False, server_default="[]"),
    Column("needs_approval", Boolean, nullable=False),
    Column("code_hash", String(64), unique=True),
    Column("code_expires_at", DateTime(timezone=True)),
    Column("household_id", String(32), ForeignKey("households.id"), unique=True),
    Column("joined_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# What the family lets the employer see, milestone by milestone; withdrawing deletes the row.
case_consents = Table(
    "case_consents",
    metadata,
    Column("case_id", String(32), ForeignKey("relocation_cases.id"), primary_key=True),
    Column("milestone", String(20), primary_key=True),
    Column("granted_at", DateTime(timezone=True), nullable=False),
)

# The employer's own checklist per case: which of its tasks are done.
case_tasks = Table(
    "case_tasks",
    metadata,
    Column("case_id", String(32), ForeignKey("relocation_cases.id"), primary_key=True),
    Column("task_id", String(40), primary_key=True),
    Column("done_at", DateTime(timezone=True), nullable=False),
    Column("done_by", String(32), ForeignKey("employer_staff.id"), nullable=False),
)
