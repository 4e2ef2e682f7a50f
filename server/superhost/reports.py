"""The coordinator's report queue: reports from either side of a visit, oldest open first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from server.superhost.common import as_utc, not_found
from server.tables import hosts, reports, visit_requests
from services.wire import ErrorCode


def open_reports(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(reports, visit_requests.c.host_id, visit_requests.c.household_id, hosts.c.first_name)
        .join(visit_requests, visit_requests.c.id == reports.c.request_id)
        .join(hosts, hosts.c.id == visit_requests.c.host_id)
        .where(reports.c.handled_at.is_(None))
        .order_by(reports.c.created_at)
    ).all()
    return [
        {
            "report_id": r.id,
            "request_id": r.request_id,
            "reported_by": r.reported_by,
            "reason": r.reason,
            "text": r.text,
            "host_id": r.host_id,
            "host_first_name": r.first_name,
            "household_id": r.household_id,
            "created_at": as_utc(r.created_at),
        }
        for r in rows
    ]


def mark_handled(conn: Connection, coordinator_id: str, report_id: str, now: datetime) -> None:
    changed = conn.execute(
        update(reports)
        .where(reports.c.id == report_id, reports.c.handled_at.is_(None))
        .values(handled_at=now, handled_by=coordinator_id)
    )
    if changed.rowcount != 1:
        raise not_found(ErrorCode.REPORT_NOT_FOUND)
