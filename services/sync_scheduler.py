"""When the app syncs, and what the user reads about it. No Flet: the app feeds it events.

Syncs at start, on resume, after local edits (the first edit after a quiet moment at once, the
rest of a burst together 0.3 s after its last edit), when the server's live connection says the
household changed (services/live_client.py), and on a timer while the app is in the foreground:
every 60 s, or every 5 minutes while the live connection is up (it tells us of changes, so the
timer is only a safety net; no polling drains the battery). When the connection drops, the 60 s
timer takes over again. Failures wait longer each time (with jitter); sync never blocks reading
or editing, because it runs off the UI's thread.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from services.live_client import LiveFactory, LiveListener, listener_for
from services.sync_client import SyncClient, SyncError, SyncResult

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
    """Runs `client.sync()` at the right moments and reports a `SyncStatus` after each change.

    `live` makes the live listener for a sync client (default: `listener_for`, the client's own
    server and token); None turns live updates off (the timer alone, as before)."""

    def __init__(
        self,
        client: Callable[[], SyncClient | None],
        pending: Callable[[], int],
        on_status: Callable[[SyncStatus], None],
        debounce_s: float = 0.3,
        interval_s: float = 60.0,
        max_backoff_s: float = 300.0,
        rng: Callable[[], float] = random.random,
        live: LiveFactory | None = listener_for,
        live_interval_s: float = 300.0,
    ) -> None:
        self.client, self.pending, self.on_status = client, pending, on_status
        self.debounce_s, self.interval_s, self.max_backoff_s = debounce_s, interval_s, max_backoff_s
        self.rng = rng
        self.live, self.live_interval_s = live, live_interval_s
        self.foreground = True
        self.failures = 0
        self.status = SyncStatus(NOT_SET_UP)
        self.live_up = False  # the live connection is open: the timer relaxes to live_interval_s
        self._due: float | None = 0.0  # loop-clock time of the next sync; None: none planned
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last_edit = float("-inf")
        self._syncing = False
        # Held by the worker thread for the whole of a sync: cancelling the loop does not stop a
        # thread, so `stop_and_wait` waits on this before the store may be closed.
        self._in_thread = threading.Lock()
        self._listener: LiveListener | None = None
        self._listener_client: SyncClient | None = None
        self._listener_generation = 0  # callbacks of a replaced listener are ignored
        self._live_unsupported = False  # the server has no live endpoint: do not ask again
        self._announced = 0  # highest sequence number the live connection announced
        self._covered = 0  # highest announced number a finished sync has covered

    # --- events from the app ------------------------------------------------------------------

    def start(self) -> None:
        """Begin syncing (at once) in the running event loop."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        """Stop syncing and close the live connection."""
        if self._task is not None:
            self._task.cancel()
        self._stop_listener()

    async def stop_and_wait(self) -> None:
        """Stop, and return once no sync is running in a worker thread any more (before the local
        database is closed: a thread still using it would crash the process)."""
        self.stop()
        await asyncio.to_thread(self._in_thread.acquire)
        self._in_thread.release()

    def _sync_in_thread(self, client: SyncClient) -> SyncResult:
        with self._in_thread:
            return client.sync()

    def local_edit(self) -> None:
        """A change was saved on this phone: say it waits, and push it. The first edit after a
        quiet moment goes at once (the family sees it within a moment); edits following within
        `debounce_s` of the previous one wait until `debounce_s` after the last (one push)."""
        if self.status.state != NOT_SET_UP:
            self._report(WAITING if self.status.state != OFFLINE else OFFLINE)
        now = self._now()
        quiet = now - self._last_edit >= self.debounce_s
        self._last_edit = now
        if self.failures:
            # The server is failing: the edit waits in the outbox for the backoff's next try,
            # instead of every edit of every phone hitting a server that is down.
            return
        self._plan(0 if quiet else self.debounce_s)

    def resume(self) -> None:
        """The app came to the foreground again: sync now, restart the timer and (after that
        sync) the live connection."""
        self.foreground = True
        self.failures = 0
        self._plan(0)

    def pause(self) -> None:
        """The app went to the background: no timer and no live connection (the OS would stop
        us anyway, and an open connection costs battery)."""
        self.foreground = False
        self._stop_listener()

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

    def _plan_by(self, delay: float) -> None:
        """Sync at the latest `delay` from now (an earlier plan stays)."""
        due = self._now() + delay
        if self._due is None or due < self._due:
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
            if timeout != 0:  # due now (an edit, a poke): no detour through a timer
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
            return self.live_interval_s if self.live_up else self.interval_s
        base = min(self.max_backoff_s, 5.0 * 2 ** (self.failures - 1))
        return base * (0.5 + self.rng() / 2)

    async def sync_once(self) -> SyncStatus:
        """One complete sync in a worker thread; the status says how it went."""
        client = self.client()
        if client is None:
            self.failures = 0
            self._stop_listener()
            return self._report(NOT_SET_UP)
        self._report(SYNCING)
        announced, self._syncing = self._announced, True
        try:
            result = await asyncio.to_thread(self._sync_in_thread, client)
        except SyncError as exc:
            self.failures += 1
            log.info("sync: %s", exc.code)
            return self._report(OFFLINE if exc.code == "offline" else PROBLEM, problem=exc.code)
        except Exception:  # a bug must not kill the loop; the next run tries again
            self.failures += 1
            log.exception("sync: unexpected failure")
            return self._report(PROBLEM, problem="unexpected")
        finally:
            self._syncing = False
        self.failures = 0
        # The pull began after that number was announced, so it brought everything up to it (a
        # number can be unused: a write that lost to a newer one leaves a gap the cursor skips).
        self._covered = max(self._covered, announced)
        pending = self.pending()
        status = self._report(
            UP_TO_DATE if pending == 0 else WAITING, last_synced=time.time(), pulled=result.pulled
        )
        self._start_listener(client)
        if self._announced > self._known_seq():  # announced while this sync ran
            self._plan(0)
        return status

    # --- the live connection -------------------------------------------------------------------

    def _start_listener(self, client: SyncClient) -> None:
        """Open the live connection after a successful sync (which proves the phone may), in
        the foreground, once per sync client; a listener that gave up is replaced."""
        if self.live is None or not self.foreground or self._task is None or self._task.done():
            return
        listener = self._listener
        if listener is not None and listener.gave_up == "unsupported":
            self._live_unsupported = True
        if self._live_unsupported:
            return
        if listener is not None and listener.running and self._listener_client is client:
            return
        self._stop_listener()
        generation = self._listener_generation

        def on_seq(seq: int) -> None:
            if generation == self._listener_generation:
                self._on_live_seq(seq)

        def on_state(up: bool) -> None:
            if generation == self._listener_generation:
                self._on_live_state(up)

        self._listener, self._listener_client = self.live(client, on_seq, on_state), client
        self._listener.start()

    def _stop_listener(self) -> None:
        self._listener_generation += 1
        if self._listener is not None:
            self._listener.stop()
        self._listener = self._listener_client = None
        self.live_up = False

    def _on_live_seq(self, seq: int) -> None:
        """The household's latest sequence number: sync now if this phone has not got it yet.
        (The phone's own pushes come back too; its cursor already covers them after its sync.)"""
        self._announced = max(self._announced, seq)
        if not self._syncing and seq > self._known_seq():
            self._plan(0)

    def _on_live_state(self, up: bool) -> None:
        self.live_up = up
        if up:
            # A new connection (perhaps to another household, after leaving and joining): count
            # from its first event.
            self._announced = self._covered = 0
        elif self.foreground:
            self._plan_by(self.interval_s)  # changes are no longer announced: back to the timer

    def _known_seq(self) -> int:
        client = self._listener_client
        cursor = client.store.sync_cursor() if client is not None else 0
        return max(cursor, self._covered)

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
