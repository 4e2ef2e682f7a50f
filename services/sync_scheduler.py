"""When the app syncs, and what the user reads about it. No Flet: the app feeds it events.

Syncs at start, on resume, a moment after local edits (debounced, so a burst of ticks is one push)
and on a timer while the app is in the foreground. Failures wait longer each time (with jitter);
sync never blocks reading or editing, because it runs off the UI's thread.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from services.sync_client import SyncClient, SyncError

log = logging.getLogger(__name__)

# What the status line can say.
NOT_SET_UP = "not_set_up"  # no household yet: everything stays on this phone
SYNCING = "syncing"
UP_TO_DATE = "up_to_date"
WAITING = "waiting"  # n changes saved here, not yet sent
OFFLINE = "offline"
PROBLEM = "problem"  # with a code that says what to do


@dataclass(frozen=True)
class SyncStatus:
    state: str
    pending: int = 0
    problem: str | None = None  # SyncError code when state is PROBLEM
    last_synced: float | None = None  # time.time() of the last complete sync
    pulled: int = 0  # fields the last sync changed on this phone


class SyncScheduler:
    """Runs `client.sync()` at the right moments and reports a `SyncStatus` after each change."""

    def __init__(
        self,
        client: Callable[[], SyncClient | None],
        pending: Callable[[], int],
        on_status: Callable[[SyncStatus], None],
        debounce_s: float = 1.5,
        interval_s: float = 60.0,
        max_backoff_s: float = 300.0,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.client, self.pending, self.on_status = client, pending, on_status
        self.debounce_s, self.interval_s, self.max_backoff_s = debounce_s, interval_s, max_backoff_s
        self.rng = rng
        self.foreground = True
        self.failures = 0
        self.status = SyncStatus(NOT_SET_UP)
        self._due: float | None = 0.0  # loop-clock time of the next sync; None: none planned
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # --- events from the app ------------------------------------------------------------------

    def start(self) -> None:
        """Begin syncing (at once) in the running event loop."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def local_edit(self) -> None:
        """A change was saved on this phone: say it waits, and sync shortly (debounced)."""
        if self.status.state != NOT_SET_UP:
            self._report(WAITING if self.status.state != OFFLINE else OFFLINE)
        self._plan(self.debounce_s)

    def resume(self) -> None:
        """The app came to the foreground again: sync now and restart the timer."""
        self.foreground = True
        self.failures = 0
        self._plan(0)

    def pause(self) -> None:
        """The app went to the background: no timer (the OS would stop us anyway)."""
        self.foreground = False

    def sync_soon(self) -> None:
        """Sync now (after joining a household, or when the user taps 'Try again')."""
        self.failures = 0
        self._plan(0)

    # --- the loop -------------------------------------------------------------------------------

    def _plan(self, delay: float) -> None:
        due = self._now() + delay
        # A sooner request wins; a debounced edit pushes a planned timer sync later never earlier.
        if self._due is None or due < self._due or delay > 0:
            self._due = due
        self._wake.set()

    def _now(self) -> float:
        try:
            return asyncio.get_running_loop().time()
        except RuntimeError:
            return time.monotonic()

    async def _run(self) -> None:
        while True:
            timeout = None if self._due is None else max(0.0, self._due - self._now())
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
                continue  # plans changed: recompute
            except TimeoutError:
                pass
            self._due = None
            await self.sync_once()
            if self.foreground and self._due is None:
                self._due = self._now() + self._next_delay()

    def _next_delay(self) -> float:
        if self.failures == 0:
            return self.interval_s
        base = min(self.max_backoff_s, 5.0 * 2 ** (self.failures - 1))
        return base * (0.5 + self.rng() / 2)

    async def sync_once(self) -> SyncStatus:
        """One complete sync in a worker thread; the status says how it went."""
        client = self.client()
        if client is None:
            self.failures = 0
            return self._report(NOT_SET_UP)
        self._report(SYNCING)
        try:
            result = await asyncio.to_thread(client.sync)
        except SyncError as exc:
            self.failures += 1
            log.info("sync: %s", exc.code)
            return self._report(OFFLINE if exc.code == "offline" else PROBLEM, problem=exc.code)
        except Exception:  # a bug must not kill the loop; the next run tries again
            self.failures += 1
            log.exception("sync: unexpected failure")
            return self._report(PROBLEM, problem="unexpected")
        self.failures = 0
        pending = self.pending()
        return self._report(
            UP_TO_DATE if pending == 0 else WAITING, last_synced=time.time(), pulled=result.pulled
        )

    def _report(
        self,
        state: str,
        problem: str | None = None,
        last_synced: float | None = None,
        pulled: int = 0,
    ) -> SyncStatus:
        self.status = SyncStatus(
            state,
            pending=self.pending() if state != NOT_SET_UP else 0,
            problem=problem,
            last_synced=last_synced or self.status.last_synced,
            pulled=pulled,
        )
        self.on_status(self.status)
        return self.status
