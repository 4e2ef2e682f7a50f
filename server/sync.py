"""Push and pull: per-field last-writer-wins by HLC stamp, a per-household sequence taken under the
household row lock (so sequence order is commit order), and exactly-once effect per device counter."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection

from server.auth import DeviceContext, require_household
from server.db import driver_sql
from server.errors import ApiError
from server.live import CHANNEL_PREFIX
from services.wire import MAX_FUTURE_MS, ErrorCode, Op, stamp_wall_ms


@dataclass(frozen=True)
class Quota:
    """What one household may store in sync: field rows, and bytes of their JSON values."""

    rows: int
    bytes: int


@dataclass(frozen=True)
class PushResult:
    acked_counter: int
    applied: int
    seq: int  # the household's sequence number after this push


# Push's statements run on the DBAPI cursor: SQLAlchemy's per-statement work cost several times
# the database's own, and SQLite's write lock is held meanwhile. The SQL is the same on SQLite
# and PostgreSQL (both have RETURNING and ON CONFLICT … DO UPDATE … WHERE) but for placeholders.
# The same statement adds the batch to the household's stored rows and bytes, counted from above
# (every write as a new row of its full size; writes that lose or replace a value store less).
_RESERVE_SEQ = (
    "UPDATE households SET seq = seq + ?, stored_rows = stored_rows + ?, "
    "stored_bytes = stored_bytes + ? WHERE id = ? RETURNING seq, stored_rows, stored_bytes"
)
# On PostgreSQL the same statement tells every server process's live hub (server/live.py) the new
# number: `pg_notify` is delivered on commit (never for a rolled-back push) and costs no round trip.
_RESERVE_SEQ_NOTIFY_PG = (
    "UPDATE households SET seq = seq + %s, stored_rows = stored_rows + %s, "
    "stored_bytes = stored_bytes + %s WHERE id = %s "
    f"RETURNING seq, stored_rows, stored_bytes, pg_notify('{CHANNEL_PREFIX}' || id, seq::text)"
)
# When the count from above reaches the quota: the true figures, after the batch.
_STORED = "SELECT count(*), coalesce(sum(length(value)), 0) FROM field_values WHERE household_id = ?"
_SET_STORED = "UPDATE households SET stored_rows = ?, stored_bytes = ? WHERE id = ?"
_UPSERT_NEWER = (
    "INSERT INTO field_values (household_id, entity, row_key, field, value, stamp, seq, device_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (household_id, entity, row_key, field) DO UPDATE SET value = excluded.value, "
    "stamp = excluded.stamp, seq = excluded.seq, device_id = excluded.device_id "
    "WHERE excluded.stamp > field_values.stamp"
)
_SET_COUNTER = "UPDATE devices SET last_counter = ? WHERE id = ? AND last_counter < ?"
# PostgreSQL runs each row of an executemany as its own statement; one statement over arrays
# (one per column) plans and executes once for the whole batch. The batch holds each field once,
# as one INSERT … ON CONFLICT must.
_UPSERT_NEWER_PG = _UPSERT_NEWER.replace(
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "SELECT * FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[], %s::varchar[], %s::text[], "
    "%s::varchar[], %s::bigint[], %s::varchar[])",
)


# PostgreSQL: the upsert and the device's counter in one statement, one round trip fewer (a
# data-modifying WITH runs whether or not the query reads it).
_UPSERT_AND_COUNTER_PG = (
    f"WITH applied AS ({_UPSERT_NEWER_PG} RETURNING 1), "
    "counter AS (UPDATE devices SET last_counter = %s WHERE id = %s AND last_counter < %s) "
    "SELECT count(*) FROM applied"
)


def _latest_write_per_field(ops: list[Op], applied_up_to: int) -> list[Op]:
    """Per field, the batch's write with the latest stamp, in counter order; ops the device
    already had applied (a retried push after a lost acknowledgement) are left out."""
    winners: dict[tuple[str, str, str], Op] = {}
    for op in ops:
        if op.counter <= applied_up_to:
            continue
        key = (op.entity, op.row_key, op.field)
        if key not in winners or op.stamp > winners[key].stamp:
            winners[key] = op
    return sorted(winners.values(), key=lambda op: op.counter)


def push(conn: Connection, ctx: DeviceContext, ops: list[Op], now_ms: int, quota: Quota) -> PushResult:
    """Apply a batch in one transaction. A refused op refuses the batch and stores nothing, and so
    does a batch that would take the household beyond its quota (413 `household_full`).

    Reserving the batch's sequence numbers first takes the household row lock: the household's
    pushes apply one at a time, so sequence order is commit order. Ops up to the device's counter
    as authentication read it are left out. A field takes a write only if its stamp is newer than
    the stored one, so an op applied again (the same phone's retry racing its first push) changes
    nothing; the numbers of writes that lose stay unused (cursors skip gaps), and the counter only
    ever moves up."""
    household_id = require_household(ctx)
    # Every op, not only the batch's latest: one far-future stamp would win its field for ever.
    horizon = now_ms + MAX_FUTURE_MS
    if any(stamp_wall_ms(op.stamp) > horizon for op in ops):
        raise ApiError(
            422, ErrorCode.STAMP_IN_FUTURE, "An op is stamped too far in the future; fix the clock."
        )
    winners = _latest_write_per_field(ops, ctx.last_counter)
    values = [json.dumps(op.value) for op in winners]  # ASCII (escaped): characters are bytes
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        postgres = conn.dialect.name == "postgresql"
        reserve = _RESERVE_SEQ_NOTIFY_PG if postgres and winners else driver_sql(conn, _RESERVE_SEQ)
        cursor.execute(reserve, (len(winners), len(winners), sum(map(len, values)), household_id))
        top, counted_rows, counted_bytes = cursor.fetchone()[:3]
        seq = top - len(winners)
        rows = [
            (household_id, op.entity, op.row_key, op.field, value, op.stamp, n, ctx.device_id)
            for n, (op, value) in enumerate(zip(winners, values, strict=True), start=seq + 1)
        ]
        applied = 0
        acked = max(ctx.last_counter, ops[-1].counter)
        if rows and postgres:
            columns = [list(column) for column in zip(*rows, strict=True)]
            cursor.execute(_UPSERT_AND_COUNTER_PG, [*columns, acked, ctx.device_id, acked])
            applied = cursor.fetchone()[0]  # rows inserted or updated
        else:
            if rows:
                cursor.executemany(_UPSERT_NEWER, rows)
                applied = cursor.rowcount  # summed over the rows
            if acked > ctx.last_counter:
                cursor.execute(driver_sql(conn, _SET_COUNTER), (acked, ctx.device_id, acked))
        if counted_rows > quota.rows or counted_bytes > quota.bytes:
            _check_quota(conn, cursor, household_id, quota)
    finally:
        cursor.close()
    return PushResult(acked, applied, top)


def _check_quota(conn: Connection, cursor: Any, household_id: str, quota: Quota) -> None:
    """Count what the household truly stores with this batch applied; beyond the quota the
    batch is refused (the error rolls the transaction back). Runs only when the count from
    above reaches the quota, so an ordinary push never scans the household's rows."""
    cursor.execute(driver_sql(conn, _STORED), (household_id,))
    stored_rows, stored_bytes = cursor.fetchone()
    if stored_rows > quota.rows or stored_bytes > quota.bytes:
        raise ApiError(
            413,
            ErrorCode.HOUSEHOLD_FULL,
            f"A household may store at most {quota.rows} fields and {quota.bytes} bytes; "
            "this push would go beyond that.",
        )
    cursor.execute(driver_sql(conn, _SET_STORED), (stored_rows, stored_bytes, household_id))


# One statement per pull page: the household's purge mark and the page, read together (the mark
# comes back on a row with no change when nothing is new).
_PAGE = (
    "SELECT h.purged_seq, f.entity, f.row_key, f.field, f.value, f.stamp, f.seq FROM households h "
    "LEFT JOIN field_values f ON f.household_id = h.id AND f.seq > ? "
    "WHERE h.id = ? ORDER BY f.seq LIMIT ?"
)


def pull(conn: Connection, ctx: DeviceContext, since: int, limit: int) -> dict[str, Any]:
    """Current values changed after the cursor, oldest first, one page at a time."""
    household_id = require_household(ctx)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(driver_sql(conn, _PAGE), (since, household_id, limit + 1))
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if 0 < since < rows[0][0]:
        raise ApiError(
            409,
            ErrorCode.RESET_REQUIRED,
            "Deletes older than your cursor were purged: download everything again (since=0) "
            "and push your outbox again.",
        )
    page = [r for r in rows[:limit] if r[6] is not None]
    return {
        "changes": [
            {
                "entity": entity,
                "row_key": row_key,
                "field": field,
                "value": orjson.Fragment(value),  # stored as JSON text: spliced in as is
                "stamp": stamp,
                "seq": seq,
            }
            for _, entity, row_key, field, value, stamp, seq in page
        ],
        "cursor": page[-1][6] if page else since,
        "more": len(rows) > limit,
    }
