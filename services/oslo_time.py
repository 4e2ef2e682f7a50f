"""Norwegian time without a time zone database: the phone builds carry none (no tzdata package on
Android, and zoneinfo cannot read Android's own), so `ZoneInfo("Europe/Oslo")` would fail there.

Norway follows the EU rule (since 1996): CET (+01:00), and CEST (+02:00) from the last Sunday of
March to the last Sunday of October, switching at 01:00 UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

CET, CEST = timedelta(hours=1), timedelta(hours=2)
_HOUR = timedelta(hours=1)


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)  # month is March or October here
    return last - timedelta(days=(last.weekday() + 1) % 7)


def _summer_utc(year: int) -> tuple[datetime, datetime]:
    """When summer time starts and ends in `year`, as naive UTC."""
    start = datetime.combine(_last_sunday(year, 3), datetime.min.time()) + _HOUR
    end = datetime.combine(_last_sunday(year, 10), datetime.min.time()) + _HOUR
    return start, end


def oslo_offset(moment: datetime) -> timedelta:
    """Norway's UTC offset at `moment` (aware; naive is taken as UTC, as everything stored is)."""
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    start, end = _summer_utc(utc.year)
    return CEST if start <= utc.replace(tzinfo=None) < end else CET


class OsloZone(tzinfo):
    """Europe/Oslo as a `tzinfo`, following PEP 495: in the repeated hour of October, `fold=0` is
    the first (summer) one; in the skipped hour of March a wall time reads as winter time."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return CET
        start, end = _summer_utc(dt.year)
        wall = dt.replace(tzinfo=None, fold=0)
        # In local wall time summer starts at 03:00 (02:00–03:00 does not exist) and ends at 03:00
        # (02:00–03:00 happens twice).
        if start + CEST <= wall < end + CET:
            return CEST
        if end + CET <= wall < end + CEST and not dt.fold:
            return CEST
        return CET

    def dst(self, dt: datetime | None) -> timedelta:
        return self.utcoffset(dt) - CET

    def tzname(self, dt: datetime | None) -> str:
        return "CEST" if self.utcoffset(dt) == CEST else "CET"

    def fromutc(self, dt: datetime) -> datetime:
        utc = dt.replace(tzinfo=None)
        offset = oslo_offset(utc)
        local = utc + offset
        start, end = _summer_utc(utc.year)
        # The second pass through the repeated hour is the winter one.
        fold = 1 if offset == CET and end <= utc < end + _HOUR else 0
        return local.replace(tzinfo=self, fold=fold)

    def __repr__(self) -> str:
        return "OsloZone()"


OSLO = OsloZone()
