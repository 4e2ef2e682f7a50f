"""Hybrid logical clock stamps: per-field last-writer-wins order that survives clock skew."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Stamp:
    """Ordered by wall time, then counter, then device id (the tie-break)."""

    wall_ms: int
    counter: int
    device: str

    def encode(self) -> str:
        """Fixed-width text that sorts like the stamp itself (so SQL can compare stamps)."""
        return f"{self.wall_ms:013d}-{self.counter:05d}-{self.device}"

    @staticmethod
    def decode(text: str) -> Stamp:
        wall, counter, device = text.split("-", 2)
        return Stamp(int(wall), int(counter), device)


class HybridClock:
    """Issues monotonically increasing stamps for one device."""

    def __init__(
        self,
        device: str,
        last: Stamp | None = None,
        offset_ms: int = 0,
        physical: Callable[[], int] = lambda: int(time.time() * 1000),
    ) -> None:
        self.device = device
        self.last = last or Stamp(0, 0, device)
        # Correction of the local clock by the server's time (set by the sync client).
        self.offset_ms = offset_ms
        self.physical = physical  # the device's own clock, possibly wrong

    def now(self, physical_ms: int | None = None) -> Stamp:
        """A new stamp later than every stamp this clock has issued or observed."""
        wall = (physical_ms if physical_ms is not None else self.physical()) + self.offset_ms
        if wall > self.last.wall_ms:
            self.last = Stamp(wall, 0, self.device)
        else:
            self.last = Stamp(self.last.wall_ms, self.last.counter + 1, self.device)
        return self.last

    def rewind(self, floor: Stamp) -> None:
        """Start again from the corrected time after the phone's clock was far ahead: an HLC never
        goes back by itself, so stamps from the wrong clock would keep every new stamp refused.
        Never below `floor`, the latest stamp accepted by the family, so our next write still
        orders after everything we have seen."""
        corrected = Stamp(self.physical() + self.offset_ms, 0, self.device)
        self.last = max(corrected, Stamp(floor.wall_ms, floor.counter, self.device))

    def observe(self, remote: Stamp) -> None:
        """Move past a stamp seen from another device so our next write orders after it."""
        if remote > self.last:
            self.last = Stamp(remote.wall_ms, remote.counter, self.device)
