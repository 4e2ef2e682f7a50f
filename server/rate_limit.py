"""Per-device rate limit of sync requests: a fixed one-minute window counted in the database, so
several API processes share it. Over the limit: 429 with Retry-After (seconds to the next window)."""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from server.errors import ApiError
from server.tables import request_counts
from services.wire import ErrorCode

WINDOW_MS = 60_000


def bump(conn: Connection, key: str, now_ms: int) -> int:
    """Count one more for `key` (a device id, or an abuse limit's key: at most 32 characters) in
    the current minute; returns the count so far."""
    window = now_ms // WINDOW_MS
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(request_counts).values(device_id=key, window=window, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[request_counts.c.device_id, request_counts.c.window],
        set_={"count": request_counts.c.count + 1},
    ).returning(request_counts.c.count)
    return conn.execute(stmt).scalar_one()


def count_request(conn: Connection, device_id: str, now_ms: int, limit: int) -> None:
    """Count one request of `device_id` in the current minute; 429 once it is over `limit`.
    Run it in its own transaction, so refused and failing requests count too."""
    if limit <= 0:
        return
    window = now_ms // WINDOW_MS
    count = bump(conn, device_id, now_ms)
    if count > limit:
        retry_after = max(1, -(-((window + 1) * WINDOW_MS - now_ms) // 1000))
        raise ApiError(
            429,
            ErrorCode.RATE_LIMITED,
            f"At most {limit} sync requests a minute per device. Try again in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
        )


def forget_old_windows(conn: Connection, now_ms: int) -> int:
    """Drop counts of finished windows (maintenance)."""
    window = now_ms // WINDOW_MS
    return conn.execute(request_counts.delete().where(request_counts.c.window < window)).rowcount
