"""Server settings from environment variables, with an embedded SQLite default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from server.abuse import limits_from_env

DEFAULT_SQLITE = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / (
    "ny-i-nordland-server"
)


@dataclass(frozen=True)
class Settings:
    """NYIN_* and DATABASE_URL; every limit is documented in docs/server.md."""

    database_url: str = field(
        default_factory=lambda: os.environ.get("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE / 'server.db'}")
    )
    max_body_bytes: int = int(os.environ.get("NYIN_MAX_BODY_BYTES", 1_000_000))
    run_migrations: bool = os.environ.get("NYIN_RUN_MIGRATIONS", "1") == "1"
    # Sync requests (push + pull) per device per minute; 0 turns the limit off (benchmarks).
    sync_rate_per_min: int = int(os.environ.get("NYIN_SYNC_RATE_PER_MIN", 120))
    # What one household may store in sync (field rows, and bytes of their JSON values); a push
    # beyond it is refused with 413 `household_full` (a real family stores a few thousand rows).
    household_max_rows: int = int(os.environ.get("NYIN_HOUSEHOLD_MAX_ROWS", 20_000))
    household_max_bytes: int = int(os.environ.get("NYIN_HOUSEHOLD_MAX_BYTES", 5_000_000))
    # Deleted rows older than this are purged; devices whose cursor is older must re-download.
    tombstone_days: int = int(os.environ.get("NYIN_TOMBSTONE_DAYS", 30))
    # A token older than this is rotated (the server asks with the X-Token-Refresh header).
    token_refresh_days: int = int(os.environ.get("NYIN_TOKEN_REFRESH_DAYS", 30))
    # Visit requests nobody answered expire after this many days; the family gets the next host.
    request_expiry_days: int = int(os.environ.get("NYIN_REQUEST_EXPIRY_DAYS", 5))
    # Live pokes (GET /v1/sync/live): a comment this often keeps proxies and NATs from closing an
    # idle stream; at most this many streams per device (a further one replaces the oldest), per
    # household and per process.
    live_heartbeat_s: float = float(os.environ.get("NYIN_LIVE_HEARTBEAT_S", 25))
    live_max_per_device: int = int(os.environ.get("NYIN_LIVE_MAX_PER_DEVICE", 2))
    live_max_per_household: int = int(os.environ.get("NYIN_LIVE_MAX_PER_HOUSEHOLD", 20))
    live_max_connections: int = int(os.environ.get("NYIN_LIVE_MAX_CONNECTIONS", 10_000))
    # SQLite only: each process notices other processes' commits through an inotify watch on the
    # WAL file (Linux); without inotify (or with NYIN_LIVE_INOTIFY=0) it looks every live_poll_ms.
    live_inotify: bool = os.environ.get("NYIN_LIVE_INOTIFY", "1") == "1"
    live_poll_ms: int = int(os.environ.get("NYIN_LIVE_POLL_MS", 25))
    # Floods: registrations, households, invite redemptions, coordinator enrolments per minute per
    # client address and in total (server/abuse.py; NYIN_ABUSE_LIMITS="off" or "register=30/1200,…").
    abuse_limits: dict[str, tuple[int, int]] = field(default_factory=limits_from_env)
    # Behind a reverse proxy that sets X-Forwarded-For (and strips a client's own): read it.
    trust_forwarded_for: bool = os.environ.get("NYIN_TRUST_FORWARDED_FOR", "0") == "1"
