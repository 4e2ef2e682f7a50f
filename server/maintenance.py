"""Maintenance jobs, for cron or a one-off: `python -m server.maintenance purge`.

purge: remove tombstones older than NYIN_TOMBSTONE_DAYS, finished rate-limit windows, and
everything past its retention period (server/retention.py, docs/privacy.md). The API also runs it
once at start-up; run it nightly from cron."""

from __future__ import annotations

import argparse
import logging
from datetime import UTC, datetime

from sqlalchemy import Engine

from server.clock import server_time_ms
from server.db import make_engine, migrate
from server.rate_limit import forget_old_windows
from server.retention import purge_expired
from server.settings import Settings
from server.tombstones import DAY_MS, purge_tombstones

log = logging.getLogger("ny-i-nordland.maintenance")


def purge(engine: Engine, settings: Settings) -> int:
    """One purge pass; returns how many deleted rows were removed."""
    now = server_time_ms()
    with engine.begin() as conn:
        rows = purge_tombstones(conn, now, settings.tombstone_days * DAY_MS)
        forget_old_windows(conn, now)
        expired = purge_expired(conn, datetime.now(UTC))
    log.info("purged %d deleted rows older than %d days", rows, settings.tombstone_days)
    log.info("retention: %s", ", ".join(f"{kind} {n}" for kind, n in expired.items() if n) or "nothing due")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description="Ny i Nordland server maintenance")
    parser.add_argument("job", choices=["purge"])
    parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = Settings()
    engine = make_engine(settings.database_url)
    migrate(engine)
    purge(engine, settings)
    engine.dispose()


if __name__ == "__main__":
    main()
