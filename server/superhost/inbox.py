"""The in-app inbox: the reliable channel for both sides. One row per event for one recipient
(a household or a host); the app pulls it with the rest of its sync and shows an unread badge.
Messages are codes (the app words them in the user's language); the one exception is an
employer's note to its newcomer (server/nordhub/messages.py), shown as the employer wrote it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update

from server.superhost.common import as_utc
from server.tables import inbox

PAGE = 200


def notify_household(
    conn: Connection, household_id: str, request_id: str | None, kind: str, now: datetime
) -> None:
    conn.execute(
        insert(inbox).values(household_id=household_id, request_id=request_id, kind=kind, created_at=now)
    )


def notify_host(conn: Connection, host_id: str, request_id: str | None, kind: str, now: datetime) -> None:
    conn.execute(insert(inbox).values(host_id=host_id, request_id=request_id, kind=kind, created_at=now))


def _mine(household_id: str | None, host_id: str | None):  # noqa: ANN202 - a SQL condition
    conditions = []
    if household_id is not None:
        conditions.append(inbox.c.household_id == household_id)
    if host_id is not None:
        conditions.append(inbox.c.host_id == host_id)
    return or_(*conditions) if conditions else None


def read_inbox(conn: Connection, household_id: str | None, host_id: str | None, since: int) -> dict[str, Any]:
    """Messages after `since` (an id) for the household and/or host of the calling phone."""
    mine = _mine(household_id, host_id)
    if mine is None:
        return {"items": [], "unread": 0}
    rows = conn.execute(select(inbox).where(mine, inbox.c.id > since).order_by(inbox.c.id).limit(PAGE)).all()
    unread = conn.execute(select(func.count()).where(mine, inbox.c.read_at.is_(None))).scalar_one()
    return {
        "items": [
            {
                "id": r.id,
                "kind": r.kind,
                "request_id": r.request_id,
                "to": "household" if r.household_id else "host",
                "created_at": as_utc(r.created_at),
                "read": r.read_at is not None,
                "message": json.loads(r.body) if r.body else None,
            }
            for r in rows
        ],
        "unread": unread,
    }


def mark_read(
    conn: Connection, household_id: str | None, host_id: str | None, up_to: int, now: datetime
) -> int:
    mine = _mine(household_id, host_id)
    if mine is None:
        return 0
    return conn.execute(
        update(inbox).where(mine, inbox.c.id <= up_to, inbox.c.read_at.is_(None)).values(read_at=now)
    ).rowcount
