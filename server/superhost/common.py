"""Small helpers the Superhost modules share: times, code lists, validation errors."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, select, update

from server.errors import ApiError
from server.tables import visit_requests
from services import visit_lifecycle as life
from services.wire import ErrorCode


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def today(now: datetime) -> date:
    return now.astimezone(UTC).date()


def join_codes(codes: Iterable[str]) -> str:
    return ",".join(codes)


def split_codes(text: str | None) -> list[str]:
    return [c for c in (text or "").split(",") if c]


def invalid(code: str, message: str, status: int = 422) -> ApiError:
    return ApiError(status, code, message)


_NOT_FOUND_TEXT = {
    ErrorCode.VISIT_NOT_FOUND: "No such visit.",
    ErrorCode.HOST_NOT_FOUND: "No such host.",
    ErrorCode.REPORT_NOT_FOUND: "No such report.",
}


def not_found(code: ErrorCode = ErrorCode.VISIT_NOT_FOUND) -> ApiError:
    """The same 404 for what does not exist and what the caller may not see."""
    return ApiError(404, code, _NOT_FOUND_TEXT[code])


def cancel_open_visits(conn: Connection, which: ColumnElement[bool], now: datetime) -> list[Any]:
    """Cancel the open visits matching `which`; returns them (id, household_id, host_id) so the
    caller tells the other side in its own words."""
    open_visits = conn.execute(
        select(visit_requests.c.id, visit_requests.c.household_id, visit_requests.c.host_id).where(
            which, visit_requests.c.state.in_(sorted(life.OPEN_STATES))
        )
    ).all()
    if open_visits:
        conn.execute(
            update(visit_requests)
            .where(visit_requests.c.id.in_([v.id for v in open_visits]))
            .values(state=life.CANCELLED, updated_at=now)
        )
    return open_visits
