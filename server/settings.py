"""Server settings from environment variables, with an embedded SQLite default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

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
    # Deleted rows older than this are purged; devices whose cursor is older must re-download.
    tombstone_days: int = int(os.environ.get("NYIN_TOMBSTONE_DAYS", 30))
    # A token older than this is rotated (the server asks with the X-Token-Refresh header).
    token_refresh_days: int = int(os.environ.get("NYIN_TOKEN_REFRESH_DAYS", 30))
    # Visit requests nobody answered expire after this many days; the family gets the next host.
    request_expiry_days: int = int(os.environ.get("NYIN_REQUEST_EXPIRY_DAYS", 5))
