"""Push and pull: per-field last-writer-wins by HLC stamp, a per-household sequence taken under the
household row lock (so sequence order is commit order), and exactly-once effect per device counter."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, insert, select, update

from server.auth import DeviceContext
from server.errors import ApiError
from server.tables import devices, field_values, households
from services.hlc import Stamp
from services.wire import MAX_FUTURE_MS, Op


@dataclass(frozen=True)
class PushResult:
    acked_counter: int
    applied: int


def require_household(ctx: DeviceContext) -> str:
    if ctx.removed:
        raise ApiError(
            410,
            "removed_from_household",
            "This phone is no longer part of the household; its data is removed.",
        )
    if ctx.household_id is None:
        raise ApiError(409, "no_household", "This device has not joined a household yet.")
    return ctx.household_id


def push(conn: Connection, ctx: DeviceContext, ops: list[Op], now_ms: int) -> PushResult:
    """Apply a batch in one transaction. A refused op refuses the batch and stores nothing."""
    household_id = require_household(ctx)
    for op in ops:
        if Stamp.decode(op.stamp).wall_ms > now_ms + MAX_FUTURE_MS:
            raise ApiError(422, "stamp_in_future", "An op is stamped too far in the future; fix the clock.")
    seq = conn.execute(
        select(households.c.seq).where(households.c.id == household_id).with_for_update()
    ).scalar_one()
    last_counter = conn.execute(
        select(devices.c.last_counter).where(devices.c.id == ctx.device_id).with_for_update()
    ).scalar_one()
    applied = 0
    for op in ops:
        if op.counter <= last_counter:
            continue  # already applied: a retried push after a lost acknowledgement
        key = and_(
            field_values.c.household_id == household_id,
            field_values.c.entity == op.entity,
            field_values.c.row_key == op.row_key,
            field_values.c.field == op.field,
        )
        current = conn.execute(select(field_values.c.stamp).where(key)).scalar_one_or_none()
        if current is not None and current >= op.stamp:
            continue  # an equal or later write already won this field
        seq += 1
        applied += 1
        values = {"value": json.dumps(op.value), "stamp": op.stamp, "seq": seq, "device_id": ctx.device_id}
        if current is None:
            conn.execute(
                insert(field_values).values(
                    household_id=household_id, entity=op.entity, row_key=op.row_key, field=op.field, **values
                )
            )
        else:
            conn.execute(update(field_values).where(key).values(**values))
    acked = max(last_counter, ops[-1].counter)
    conn.execute(update(households).where(households.c.id == household_id).values(seq=seq))
    conn.execute(update(devices).where(devices.c.id == ctx.device_id).values(last_counter=acked))
    return PushResult(acked, applied)


def pull(conn: Connection, ctx: DeviceContext, since: int, limit: int) -> dict[str, Any]:
    """Current values changed after the cursor, oldest first, one page at a time."""
    household_id = require_household(ctx)
    purged = conn.execute(select(households.c.purged_seq).where(households.c.id == household_id)).scalar_one()
    if 0 < since < purged:
        raise ApiError(
            409,
            "reset_required",
            "Deletes older than your cursor were purged: download everything again (since=0) "
            "and push your outbox again.",
        )
    rows = conn.execute(
        select(field_values)
        .where(field_values.c.household_id == household_id, field_values.c.seq > since)
        .order_by(field_values.c.seq)
        .limit(limit + 1)
    ).all()
    page = rows[:limit]
    return {
        "changes": [
            {
                "entity": r.entity,
                "row_key": r.row_key,
                "field": r.field,
                "value": json.loads(r.value),
                "stamp": r.stamp,
                "seq": r.seq,
            }
            for r in page
        ],
        "cursor": page[-1].seq if page else since,
        "more": len(rows) > limit,
    }
