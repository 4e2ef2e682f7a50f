"""Dates and times as people type them and as the server sends them, parsed in one place.

Typed input raises `InputError` with a code the views turn into a translated message; values
from the server (ISO 8601, 'Z' or an offset) become aware datetimes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from services.oslo_time import OSLO

# Meeting times are typed and shown in Norwegian time, wherever the phone is.
LOCAL_ZONE = OSLO  # not zoneinfo: see services/oslo_time.py
_CLOCK = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})", re.ASCII)


class InputError(ValueError):
    """Typed text cannot be read (a date, a time, a list of ages); `code` names the message the
    views show (views/messages.py)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_day(text: str) -> date:
    """'2027-01-15' (spaces around it ignored) → a date; InputError('bad_date') otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError("bad_date") from exc


def parse_clock(text: str) -> time:
    """'15:30' or '15.30' → a time; InputError('bad_time') otherwise."""
    match = _CLOCK.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError(text)
        return time(int(match[1]), int(match[2]))
    except ValueError as exc:
        raise InputError("bad_time") from exc


def local_datetime(day: str, clock: str) -> datetime:
    """A typed date and time in Norwegian time → an aware datetime."""
    return datetime.combine(parse_day(day), parse_clock(clock), LOCAL_ZONE)


def parse_timestamp(value: object) -> datetime:
    """A server timestamp ('2027-01-15T14:30:00Z', with an offset, or a datetime) → aware datetime
    (UTC when it carries no zone)."""
    moment = (
        value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def as_date(value: object) -> date:
    """A date from JSON ('2027-01-15' or a timestamp) or a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
