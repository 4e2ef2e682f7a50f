"""Hybrid logical clock stamps: monotonic per device, ordered across devices, text-sortable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.hlc import HybridClock, Stamp


def test_stamps_increase_even_when_the_wall_clock_goes_back():
    clock = HybridClock("a")
    first = clock.now(physical_ms=1_000)
    second = clock.now(physical_ms=900)  # clock jumped back
    assert second > first and second.wall_ms == 1_000 and second.counter == 1


def test_observing_a_later_remote_stamp_orders_our_next_write_after_it():
    clock = HybridClock("a")
    clock.now(physical_ms=1_000)
    clock.observe(Stamp(5_000, 3, "b"))
    assert clock.now(physical_ms=1_001) > Stamp(5_000, 3, "b")


@given(st.lists(st.integers(0, 10**12), min_size=1, max_size=50))
def test_encoded_stamps_sort_like_stamps(walls):
    clock = HybridClock("dev1")
    stamps = [clock.now(physical_ms=w) for w in walls]
    assert stamps == sorted(stamps)
    assert [s.encode() for s in stamps] == sorted(s.encode() for s in stamps)
    assert all(Stamp.decode(s.encode()) == s for s in stamps)
