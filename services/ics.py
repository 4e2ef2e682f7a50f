"""A confirmed visit as an iCalendar (.ics) event, so both sides can put it in their calendar.
Pure text (RFC 5545), shared by the app (offline export) and the server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

VISIT_LENGTH = timedelta(hours=1)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def visit_ics(uid: str, starts_at: datetime, title: str, place: str, description: str, now: datetime) -> str:
    """One VEVENT of an hour at the public meeting place; times in UTC."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ny i Nordland//Superhost//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}@nyinordland",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(starts_at)}",
        f"DTEND:{_stamp(starts_at + VISIT_LENGTH)}",
        f"SUMMARY:{_escape(title)}",
        f"LOCATION:{_escape(place)}",
        f"DESCRIPTION:{_escape(description)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
