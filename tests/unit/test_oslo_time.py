"""Norwegian time computed by hand (the phone has no time zone database) agrees with zoneinfo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from services.oslo_time import OSLO, oslo_offset

REFERENCE = ZoneInfo("Europe/Oslo")
INSTANTS = st.datetimes(
    min_value=datetime(1996, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
)


def test_the_offset_matches_zoneinfo_every_hour_and_around_each_switch():
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    while moment.year < 2031:
        for instant in (moment, moment - timedelta(seconds=1)):  # each hour and the second before
            assert oslo_offset(instant) == instant.astimezone(REFERENCE).utcoffset(), instant
            mine, theirs = instant.astimezone(OSLO), instant.astimezone(REFERENCE)
            assert (mine.replace(tzinfo=None), mine.fold) == (theirs.replace(tzinfo=None), theirs.fold)
            assert mine.tzname() == theirs.tzname()
        moment += timedelta(hours=1)


@given(INSTANTS)
def test_the_offset_matches_zoneinfo_at_any_instant(instant):
    assert oslo_offset(instant) == instant.astimezone(REFERENCE).utcoffset()


@given(
    st.datetimes(min_value=datetime(1996, 1, 1), max_value=datetime(2099, 12, 31)), st.sampled_from([0, 1])
)
def test_a_wall_time_means_the_same_instant_as_with_zoneinfo(wall, fold):
    """Typed meeting times are wall times: skipped and repeated hours read as zoneinfo reads them."""
    wall = wall.replace(fold=fold)
    mine, theirs = wall.replace(tzinfo=OSLO), wall.replace(tzinfo=REFERENCE)
    assert mine.utcoffset() == theirs.utcoffset(), wall
    assert mine.astimezone(UTC) == theirs.astimezone(UTC)
