"""The .ics file: RFC 5545 text escaping (no control characters reach the file), line folding,
and Norwegian local time with its VTIMEZONE (the hand-computed offset agrees with zoneinfo)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.ics import visit_ics

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
WINTER = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # 18:00 in Bodø
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _ics(place: str = "Rana library", title: str = "Ny i Nordland: Ingrid", starts: datetime = WINTER,
         uid: str = "req-1") -> str:  # fmt: skip
    return visit_ics(uid, starts, title, place, "", NOW)


def _unfolded(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text[:-2].replace("\r\n ", "").split("\r\n")


def _value(text: str, name: str) -> str:
    ((value,),) = [line.split(":", 1)[1:] for line in _unfolded(text) if re.match(rf"{name}[;:]", line)]
    return value


def _unescape(value: str) -> str:
    """RFC 5545 3.3.11 read back: \\\\ \\; \\, and \\n (or \\N)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def _assert_well_formed(text: str) -> None:
    lines = text.split("\r\n")
    assert lines[-1] == ""  # every line, the last too, ends with CRLF
    for line in lines[:-1]:
        assert not CONTROL.search(line), repr(line)  # no bare CR or LF, no NUL, no tab...
        assert len(line.encode()) <= 75


NASTY = [
    "Rana\rlibrary",
    "Rana\nlibrary",
    "Rana\r\nlibrary, main entrance",
    "Rana\x00library",
    "Rana\tlibrary",
    "Rana\x1b[31mlibrary\x7f",
    "Rana\x0b\x0clibrary\x1f",
    "Rana\u2028library\x85",
    "Bibliotek; inngang, \\ bak\r\n\r\nkafeen",
]


@pytest.mark.parametrize("nasty", NASTY)
def test_control_characters_never_reach_the_file(nasty):
    text = _ics(place=nasty, title=nasty, uid=nasty)
    _assert_well_formed(text)
    uid = _value(text, "UID")
    assert "\\n" not in uid and uid.endswith("@nyinordland")


@pytest.mark.parametrize(
    ("typed", "read_back"),
    [
        ("Rana\rlibrary", "Rana\nlibrary"),
        ("Rana\nlibrary", "Rana\nlibrary"),
        ("Rana\r\nlibrary, main entrance", "Rana\nlibrary, main entrance"),
        ("Rana\x00library", "Ranalibrary"),
        ("Rana\tlibrary", "Rana library"),
        ("Rana\x1b[31mlibrary\x7f", "Rana[31mlibrary"),
        ("Bibliotek; inngang, \\ bak\r\n\r\nkafeen", "Bibliotek; inngang, \\ bak\n\nkafeen"),
        ("Café Kaffebønna, Storgata", "Café Kaffebønna, Storgata"),
    ],
)
def test_the_place_and_title_read_back_as_typed_less_control_characters(typed, read_back):
    text = _ics(place=typed, title=typed)
    assert _unescape(_value(text, "LOCATION")) == read_back
    assert _unescape(_value(text, "SUMMARY")) == read_back


@given(st.text(max_size=300))
def test_any_text_gives_a_well_formed_file_that_reads_back(place):
    text = _ics(place=place)
    _assert_well_formed(text)
    expected = re.sub(r"\r\n|[\r\x85\u2028\u2029]", "\n", place).replace("\t", " ")
    expected = re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]", "", expected)
    assert _unescape(_value(text, "LOCATION")) == expected


def test_long_lines_fold_without_splitting_a_character_or_an_escape():
    place = ",".join(["Kjøpesenteret", "inngang 1", "ærlig øl å"] * 12)
    text = _ics(place=place)
    _assert_well_formed(text)
    physical = text.split("\r\n")
    assert any(line.startswith(" ") for line in physical)  # it did fold
    for line in physical:
        line.encode().decode()  # each physical line is whole UTF-8
        assert not re.search(r"(?<!\\)(\\\\)*\\$", line)  # no line ends inside an escape pair
    assert _unescape(_value(text, "LOCATION")) == place


def test_times_are_norwegian_local_time_with_the_time_zone_defined():
    winter = _ics(starts=WINTER)
    assert "\r\nDTSTART;TZID=Europe/Oslo:20261201T180000\r\n" in winter
    assert "\r\nDTEND;TZID=Europe/Oslo:20261201T190000\r\n" in winter
    assert "\r\nDTSTAMP:20261101T093000Z\r\n" in winter  # the stamp stays UTC
    summer = _ics(starts=datetime(2027, 6, 15, 8, 0, tzinfo=UTC))
    assert "\r\nDTSTART;TZID=Europe/Oslo:20270615T100000\r\n" in summer
    assert "\r\nDTEND;TZID=Europe/Oslo:20270615T110000\r\n" in summer
    # An aware time in another zone is the same instant; a naive one is UTC, like everything stored.
    assert _ics(starts=WINTER.astimezone(ZoneInfo("America/New_York"))) == winter
    assert _ics(starts=WINTER.replace(tzinfo=None)) == winter


def test_the_visit_may_span_the_clock_change():
    # 2027-10-31 00:30 UTC is 02:30 CEST; an hour later it is 02:30 CET.
    text = _ics(starts=datetime(2027, 10, 31, 0, 30, tzinfo=UTC))
    assert "DTSTART;TZID=Europe/Oslo:20271031T023000" in text
    assert "DTEND;TZID=Europe/Oslo:20271031T023000" in text


def test_the_calendar_defines_europe_oslo():
    lines = _unfolded(_ics())
    start, end = lines.index("BEGIN:VTIMEZONE"), lines.index("END:VTIMEZONE")
    assert start < lines.index("BEGIN:VEVENT")
    zone = lines[start : end + 1]
    assert "TZID:Europe/Oslo" in zone
    daylight = zone[zone.index("BEGIN:DAYLIGHT") : zone.index("END:DAYLIGHT")]
    standard = zone[zone.index("BEGIN:STANDARD") : zone.index("END:STANDARD")]
    assert {"TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"} <= set(daylight)  # fmt: skip
    assert {"TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"} <= set(standard)  # fmt: skip
