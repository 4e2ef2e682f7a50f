"""A confirmed visit as an iCalendar (.ics) event, so both sides can put it in their calendar.
Pure text (RFC 5545), shared by the app (offline export) and the server."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from services.oslo_time import oslo_offset

VISIT_LENGTH = timedelta(hours=1)
TZID = "Europe/Oslo"

_VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)

# Line breaks in any spelling become one TEXT newline (RFC 5545 3.3.11 escapes it as "\n").
_NEWLINES = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
# Not allowed in a content line (RFC 5545 3.1 CONTROL: C0 but tab, DEL), nor useful in a
# calendar (C1 controls), nor encodable as UTF-8 (lone surrogates): dropped.
_DROPPED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# An identifier keeps none of them, line breaks included.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# A folded line never splits an escape pair such as "\," (legal, but some readers get it wrong).
_UNITS = re.compile(r"\\.|.", re.DOTALL)


def _as_utc(moment: datetime) -> datetime:
    # Everything the app and the server store is UTC, so a naive time is UTC (not the machine's zone).
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): line breaks as \\n, tabs as spaces, other controls dropped,
    then backslash, semicolon and comma escaped."""
    value = _DROPPED.sub("", _NEWLINES.sub("\n", value).replace("\t", " "))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1),
    never inside a UTF-8 character or an escape pair."""
    out, current = [], ""
    for unit in _UNITS.findall(line):
        if len((current + unit).encode()) > 75:
            out.append(current)
            current = " " + unit
        else:
            current += unit
    out.append(current)
    return "\r\n".join(out)


def _stamp(moment: datetime) -> str:
    return _as_utc(moment).strftime("%Y%m%dT%H%M%SZ")


def _oslo(moment: datetime) -> str:
    utc = _as_utc(moment)
    return f";TZID={TZID}:{(utc + oslo_offset(utc)).strftime('%Y%m%dT%H%M%S')}"


def visit_ics(uid: str, starts_at: datetime, title: str, place: str, description: str, now: datetime) -> str:
    """One VEVENT of an hour at the public meeting place, in Norwegian local time (with the
    VTIMEZONE that defines it, so calendars anywhere show the right hour); DTSTAMP in UTC."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ny i Nordland//Superhost//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *_VTIMEZONE,
        "BEGIN:VEVENT",
        f"UID:{_text(_CONTROLS.sub('', uid))}@nyinordland",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART{_oslo(starts_at)}",
        f"DTEND{_oslo(starts_at + VISIT_LENGTH)}",
        f"SUMMARY:{_text(title)}",
        f"LOCATION:{_text(place)}",
        f"DESCRIPTION:{_text(description)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
