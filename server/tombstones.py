"""Deleted rows are kept as tombstones (a `deleted` field) so deletes merge like any edit; after
a window they are purged. A device whose cursor is older than the purge could miss a delete, so
its pull answers "reset required" and it downloads everything again (re-pushing its outbox)."""

from __future__ import annotations

import json

from sqlalchemy import Connection, and_, delete, func, select, update

from server.tables import field_values, households
from services.hlc import Stamp

DAY_MS = 86_400_000


def purge_tombstones(conn: Connection, now_ms: int, window_ms: int) -> int:
    """Remove every field of rows deleted longer than `window_ms` ago; returns how many rows."""
    horizon = now_ms - window_ms
    tombstones = conn.execute(
        select(
            field_values.c.household_id,
            field_values.c.entity,
            field_values.c.row_key,
            field_values.c.value,
            field_values.c.stamp,
        ).where(field_values.c.field == "deleted")
    ).all()
    purged = 0
    for t in tombstones:
        if json.loads(t.value) is not True or Stamp.decode(t.stamp).wall_ms >= horizon:
            continue
        row = and_(
            field_values.c.household_id == t.household_id,
            field_values.c.entity == t.entity,
            field_values.c.row_key == t.row_key,
        )
        top = conn.execute(select(func.max(field_values.c.seq)).where(row)).scalar_one()
        conn.execute(delete(field_values).where(row))
        conn.execute(
            update(households)
            .where(households.c.id == t.household_id, households.c.purged_seq < top)
            .values(purged_seq=top)
        )
        purged += 1
    return purged
