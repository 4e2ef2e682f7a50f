"""The coordinators' audit log: every coordinator action is written here, in the same transaction
as the action, and every coordinator can read it (newest first)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from server.tables import audit_log, coordinators

CERTIFY, SUSPEND, HANDLE_REPORT, NEIGHBOURS, ROUND, ENROL = (
    "certify_host",
    "suspend_host",
    "handle_report",
    "set_neighbours",
    "run_round",
    "enrol_device",
)
VERIFY_EMPLOYER = "verify_employer"


def record(conn: Connection, coordinator_id: str, action: str, now: datetime, target: str = "",
           detail: str = "") -> None:  # fmt: skip
    """Write one coordinator action (ids and short facts only, never a person's details)."""
    conn.execute(
        insert(audit_log).values(
            at=now, coordinator_id=coordinator_id, action=action, target=target[:64], detail=detail[:300]
        )
    )


def read(conn: Connection, limit: int = 200) -> list[dict[str, Any]]:
    """The latest actions, newest first, with the coordinator's name."""
    rows = conn.execute(
        select(audit_log, coordinators.c.name)
        .join(coordinators, coordinators.c.id == audit_log.c.coordinator_id)
        .order_by(audit_log.c.id.desc())
        .limit(limit)
    ).all()
    return [
        {"at": r.at, "coordinator": r.name, "action": r.action, "target": r.target, "detail": r.detail}
        for r in rows
    ]
