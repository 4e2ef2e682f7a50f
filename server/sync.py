"""Push and pull: per-field last-writer-wins by HLC stamp, a per-household sequence taken under the
household row lock (so sequence order is commit order), and exactly-once effect per device counter."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

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
    # Per field, only the latest write of the batch matters; it applies if it beats the stored one.
    winners: dict[tuple[str, str, str], Op] = {}
    for op in ops:
        if op.counter <= last_counter:
            continue  # already applied: a retried push after a lost acknowledgement
        key = (op.entity, op.row_key, op.field)
        if key not in winners or op.stamp > winners[key].stamp:
            winners[key] = op
    current = {}
    if winners:
        rows = conn.execute(
            select(
                field_values.c.entity, field_values.c.row_key, field_values.c.field, field_values.c.stamp
            ).where(
                field_values.c.household_id == household_id,
                field_values.c.row_key.in_({k[1] for k in winners}),
            )
        )
        current = {(r.entity, r.row_key, r.field): r.stamp for r in rows}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for key, op in sorted(winners.items(), key=lambda kv: kv[1].counter):
        stored = current.get(key)
        if stored is not None and stored >= op.stamp:
            continue  # an equal or later write already won this field
        seq += 1
        values = {"value": json.dumps(op.value), "stamp": op.stamp, "seq": seq, "device_id": ctx.device_id}
        if stored is None:
            inserts.append(
                {
                    "household_id": household_id,
                    "entity": op.entity,
                    "row_key": op.row_key,
                    "field": op.field,
                    **values,
                }
            )
        else:
            updates.append({"k_entity": op.entity, "k_row": op.row_key, "k_field": op.field, **values})
    if inserts:
        conn.execute(insert(field_values), inserts)
    if updates:
        conn.execute(
            update(field_values)
            .where(
                field_values.c.household_id == household_id,
                field_values.c.entity == bindparam("k_entity"),
                field_values.c.row_key == bindparam("k_row"),
                field_values.c.field == bindparam("k_field"),
            )
            .values(
                value=bindparam("value"),
                stamp=bindparam("stamp"),
                seq=bindparam("seq"),
                device_id=bindparam("device_id"),
            ),
            updates,
        )
    applied = len(inserts) + len(updates)
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
