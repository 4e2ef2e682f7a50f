"""The demo responder's choices: a time at least a day ahead in the host's free times, a public
place the server accepts, and nothing at all on a server without demo hosts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from hypothesis import given
from hypothesis import strategies as st

from demo.hosts import is_demo_name
from demo.responder import OSLO, DemoResponder, meeting_place, meeting_time
from server.superhost.visits import MAX_AHEAD
from services import host_wire as wire
from services.meeting_place import looks_like_home_address

moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


@given(moments, st.integers(min_value=0, max_value=wire.ALL_SLOTS))
def test_the_meeting_is_at_least_a_day_ahead_in_a_free_slot_within_the_servers_window(now, availability):
    starts = meeting_time(now, availability)
    assert now + timedelta(days=1) <= starts < now + timedelta(days=9) < now + MAX_AHEAD
    local = starts.astimezone(OSLO)
    part = {10: 0, 15: 1, 18: 2}[local.hour]
    assert local.minute == 0
    if availability:
        assert availability & wire.slot_bit(local.weekday(), part)
    else:
        assert local.weekday() < 5 and local.hour == 15


def test_without_free_times_it_is_the_next_weekday_at_three_in_norwegian_time():
    friday_noon = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)  # 12:00 in Oslo
    assert meeting_time(friday_noon) == datetime(2026, 11, 30, 15, 0, tzinfo=OSLO)  # Monday
    monday_four = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # 16:00: tomorrow 15:00 is under a day
    assert meeting_time(monday_four) == datetime(2026, 12, 2, 15, 0, tzinfo=OSLO)


def test_the_meeting_place_is_a_public_place_in_every_municipality():
    for number in wire.MUNICIPALITY_NUMBERS:
        place = meeting_place(number)
        assert place.startswith("The public library in ") and place.endswith(", main entrance")
        assert len(place) <= wire.MAX_PLACE and not looks_like_home_address(place)
    assert meeting_place(1804) == "The public library in Bodø, main entrance"


def test_only_names_ending_in_demo_are_demo_hosts():
    assert is_demo_name("Ingrid (demo)") and not is_demo_name("Ingrid") and not is_demo_name("(demo) Per")


def test_without_demo_hosts_the_responder_sends_nothing(tmp_path):
    sent = []
    http = httpx.Client(
        base_url="http://server",
        transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(500)),
    )
    responder = DemoResponder(http, tmp_path / "no-such-file.json", delay=0)
    assert responder.run_once() == [] and sent == []
    (tmp_path / "broken.json").write_text("{not json")
    assert DemoResponder(http, tmp_path / "broken.json", delay=0).run_once() == [] and sent == []
