"""Live pokes: the server tells a household's open phones that something changed.

`GET /v1/sync/live` is a Server-Sent Events stream (answered in `server/sync_http.py`, with the
same token, protocol check and rate limit as push and pull). It carries only the household's
latest sequence number, `data: {"seq": N}`: at once when it opens (so a phone that reconnects
knows whether it missed something), then after every push that changed the household has
committed. The data still comes by pull. A comment line every `live_heartbeat_s` keeps proxies
and NATs from closing an idle stream.

One `LiveHub` per process keeps the open streams. A push in this process pokes them directly
once its transaction has committed; pushes of other processes arrive through the database, so
no new service is needed:
- PostgreSQL: the push's `UPDATE households … RETURNING` also calls `pg_notify` on the
  household's channel, delivered on commit (never for a rolled-back push); each process LISTENs,
  on one dedicated connection, to the channels of the households that have streams there.
- SQLite: one thread per process watches the database: after each push commits, its process
  writes a byte to a signal file next to the database (`<file>-live`), whose inotify event wakes
  every process's watcher at once (Linux; elsewhere, or with `NYIN_LIVE_INOTIFY=0`, they look
  every `live_poll_ms`); `PRAGMA data_version` says whether anything was committed, and the
  watcher reads the sequence numbers of the households that have open streams.
Revoking a device or removing a member ends its streams at once: PostgreSQL notifies the
household in that transaction; on SQLite a second signal file (`<file>-live-members`) makes
every watcher re-check its streams' devices. A stream re-checks its own token every few
minutes too (a rotated-away token stops working, as on every endpoint).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import random
import select
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from types import FrameType
from typing import Any

from fastapi import BackgroundTasks
from sqlalchemy import Connection, Engine

from server.compression import Message, Receive, Send
from server.db import driver_sql
from server.errors import ApiError
from server.settings import Settings
from services.wire import ErrorCode

log = logging.getLogger(__name__)

LIVE_PATH = "/v1/sync/live"
# PostgreSQL: one channel per household, "nyin_<household id>"; payload the sequence number, or
# "members" when a device was revoked or a member removed.
CHANNEL_PREFIX = "nyin_"
REAUTH_S = 300.0  # how often (on average) an open stream re-checks its token
RECENT_S = 10.0  # how long this process's pushes are remembered for streams about to open
DEVICE_CHECK_S = 1.0  # SQLite: after commits, at most this often the listening devices are re-checked
MIN_CHECK_S = 0.002  # SQLite: at most this often the watcher reads after commits (bursts coalesce)
SAFETY_POLL_S = 1.0  # SQLite with inotify: look anyway this often (revocations, other writers)
IN_MODIFY = 0x2  # inotify: the file was written
CHUNK = 500  # ids per IN (…) list
STREAM_HEADERS = [
    (b"content-type", b"text/event-stream"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),  # nginx: pass events on at once
]
HEARTBEAT = b": \n\n"

# What a listening device must still be: known, not revoked, a current member of the household
# it listens to.
_DEVICE_STATE = (
    "SELECT d.id, d.revoked_at IS NULL, m.household_id, m.removed_at IS NULL "
    "FROM devices d LEFT JOIN members m ON m.id = d.member_id WHERE d.id IN ({marks})"
)
_TOKEN_STATE = (
    "SELECT d.revoked_at IS NULL, m.household_id, m.removed_at IS NULL "
    "FROM devices d LEFT JOIN members m ON m.id = d.member_id "
    "WHERE d.id = ? AND (d.token_hash = ? OR d.prev_token_hash = ?)"
)
_SEQS = "SELECT id, seq FROM households WHERE id IN ({marks})"
_SEQ = "SELECT seq FROM households WHERE id = ?"


def event(seq: int) -> bytes:
    """One poke as it goes on the wire."""
    return b'data: {"seq":%d}\n\n' % seq


def _chunk(body: bytes) -> Message:
    return {"type": "http.response.body", "body": body, "more_body": True}


def household_seq(conn: Connection, household_id: str) -> int:
    """The household's latest sequence number (what the first event of a stream says)."""
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(driver_sql(conn, _SEQ), (household_id,))
        return cursor.fetchone()[0]
    finally:
        cursor.close()


def members_changed(hub: LiveHub, conn: Connection, background: BackgroundTasks, household_id: str) -> None:
    """In the transaction that revokes a device or removes a member: once it has committed, every
    process re-checks the open streams' devices and ends those that may no longer listen.
    PostgreSQL: a notification in this transaction; SQLite: the members signal file, written
    after the commit (as a background task of the answer)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_notify(%s, 'members')", (f"{CHANNEL_PREFIX}{household_id}",))
    else:
        background.add_task(hub.signal_members)


def _in_chunks(ids: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _read_state(
    cursor: Any, qmark: bool, households: list[str], devices: dict[str, str]
) -> tuple[list[tuple[str, int]], set[str]]:
    """Sequence numbers of `households`, and which of `devices` (device id → household it
    listens to) may no longer listen. On a DBAPI cursor of either database."""
    mark = "?" if qmark else "%s"
    seqs: list[tuple[str, int]] = []
    for ids in _in_chunks(households):
        cursor.execute(_SEQS.format(marks=", ".join([mark] * len(ids))), ids)
        seqs += cursor.fetchall()
    valid: set[str] = set()
    for ids in _in_chunks(list(devices)):
        cursor.execute(_DEVICE_STATE.format(marks=", ".join([mark] * len(ids))), ids)
        for device_id, active, household_id, member_active in cursor.fetchall():
            if active and member_active and household_id == devices[device_id]:
                valid.add(device_id)
    return seqs, set(devices) - valid


class Subscriber:
    """One open stream: the newest sequence number known for its household, and why it ended."""

    __slots__ = ("household_id", "device_id", "token_hash", "seq", "wake", "ended", "listed")

    def __init__(self, household_id: str, device_id: str, token_hash: str, seq: int) -> None:
        self.household_id, self.device_id, self.token_hash = household_id, device_id, token_hash
        self.seq = seq
        self.wake = asyncio.Event()
        self.ended: str | None = None
        self.listed = True

    def end(self, reason: str) -> None:
        if self.ended is None:
            self.ended = reason
        self.wake.set()


class LiveHub:
    """This process's open streams, and the watcher that brings other processes' pushes."""

    def __init__(self, engine: Engine, settings: Settings, threads: ThreadPoolExecutor) -> None:
        self.engine, self.settings, self.threads = engine, settings, threads
        self.households: dict[str, list[Subscriber]] = {}
        self.devices: dict[str, list[Subscriber]] = {}
        self.open_count = 0
        self.closing = False
        self.loop: asyncio.AbstractEventLoop | None = None
        # Numbers of the last RECENT_S seconds, also of households nobody listens to here: a stream
        # that read its first number just before a push here committed still learns of it.
        self._recent: dict[str, int] = {}
        self._recent_old: dict[str, int] = {}
        self._recent_since = time.monotonic()
        self._fresh: set[str] = set()  # SQLite: households the watcher has not read yet
        self._wake_r, self._wake_w = -1, -1  # SQLite: wakes the watcher (a new household, stop)
        # SQLite: files next to the database that every process writes a byte to after a push
        # (or a revocation or removal) has committed; their inotify events wake the watchers.
        self._signals: dict[str, tuple[str, int]] = {}  # "pushed" / "members" → (path, fd)
        self._stop = threading.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._channels_changed: asyncio.Event | None = None  # PostgreSQL: LISTEN to other channels
        self._rechecking: set[str] = set()  # PostgreSQL: households whose devices are being read
        self._threads: list[threading.Thread] = []

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the watcher of other processes' pushes (in the app's lifespan)."""
        self.loop = asyncio.get_running_loop()
        if self.engine.dialect.name == "postgresql":
            url = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._channels_changed = asyncio.Event()
            self._tasks = [self.loop.create_task(self._listen_postgres(url))]
        elif self.engine.url.database not in (None, "", ":memory:"):
            for kind, suffix in (("pushed", "-live"), ("members", "-live-members")):
                path = f"{self.engine.url.database}{suffix}"
                self._signals[kind] = (path, os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600))
            self._wake_r, self._wake_w = os.pipe()
            os.set_blocking(self._wake_r, False)
            os.set_blocking(self._wake_w, False)
            self._threads = [
                threading.Thread(
                    target=self._watch_sqlite,
                    args=(self.engine.url.database,),
                    name="live-watch",
                    daemon=True,
                )
            ]
        for thread in self._threads:
            thread.start()

    def end_all(self, reason: str = "shutdown") -> None:
        """End every stream (the phones reconnect, to another worker if this one goes away)."""
        self.closing = True
        for subscribers in list(self.households.values()):
            for sub in list(subscribers):
                sub.end(reason)

    async def close(self) -> None:
        """End the streams and stop the watcher (in the app's lifespan)."""
        self.end_all()
        self._stop.set()
        if self._wake_w >= 0:
            self._nudge_watcher()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for thread in self._threads:
            await asyncio.to_thread(thread.join, 5)
        if self._wake_w >= 0:
            os.close(self._wake_r)
            os.close(self._wake_w)
            for _path, fd in self._signals.values():
                os.close(fd)

    # --- streams --------------------------------------------------------------------------------

    def open(self, household_id: str, device_id: str, token_hash: str, seq: int) -> Subscriber:
        """Register a stream. A device keeps at most `live_max_per_device` (a new one replaces the
        oldest: the phone reconnected and the old connection may be dead without our knowing);
        beyond the household's or the process's cap the phone gets 429/503 and keeps its timer."""
        settings = self.settings
        if self.closing or self.open_count >= settings.live_max_connections:
            raise ApiError(
                503, ErrorCode.LIVE_UNAVAILABLE, "No room for live updates here now.", {"Retry-After": "60"}
            )
        mine = self.devices.get(device_id, [])
        replacing = max(0, len(mine) - settings.live_max_per_device + 1)
        if len(self.households.get(household_id, ())) - replacing >= settings.live_max_per_household:
            raise ApiError(
                429,
                ErrorCode.TOO_MANY_CONNECTIONS,
                f"At most {settings.live_max_per_household} live connections per household.",
                {"Retry-After": "60"},
            )
        for old in mine[:replacing]:
            old.end("replaced")
            self.leave(old)
        seq = max(seq, self._recent.get(household_id, 0), self._recent_old.get(household_id, 0))
        sub = Subscriber(household_id, device_id, token_hash, seq)
        if household_id not in self.households:
            self._fresh.add(household_id)
            if self._wake_w >= 0:
                self._nudge_watcher()
            if self._channels_changed is not None:
                self._channels_changed.set()
        self.households.setdefault(household_id, []).append(sub)
        self.devices.setdefault(device_id, []).append(sub)
        self.open_count += 1
        return sub

    def leave(self, sub: Subscriber) -> None:
        """Forget a stream (safe to call twice)."""
        if not sub.listed:
            return
        sub.listed = False
        self.open_count -= 1
        for index, key in ((self.households, sub.household_id), (self.devices, sub.device_id)):
            subscribers = index[key]
            subscribers.remove(sub)
            if not subscribers:
                del index[key]

    def pushed(self, household_id: str, seq: int) -> None:
        """A push in this process has committed: poke the streams here now and (SQLite) wake the
        other processes' watchers. (On PostgreSQL the push's own NOTIFY reaches them.)"""
        self.publish(household_id, seq)
        self._signal("pushed")

    def signal_members(self) -> None:
        """SQLite, after a revocation or removal committed: every process re-checks its streams'
        devices at once. (PostgreSQL notifies in that transaction: `members_changed`.)"""
        self._signal("members")

    def _signal(self, kind: str) -> None:
        if kind in self._signals:
            with contextlib.suppress(OSError):
                os.pwrite(self._signals[kind][1], b"\0", 0)

    def publish(self, household_id: str, seq: int) -> None:
        """The household's sequence number is now `seq` (committed). On the event loop."""
        now = time.monotonic()
        if now - self._recent_since > RECENT_S:
            self._recent_old, self._recent, self._recent_since = self._recent, {}, now
        if seq > self._recent.get(household_id, 0):
            self._recent[household_id] = seq
        for sub in self.households.get(household_id, ()):
            if seq > sub.seq:
                sub.seq = seq
                sub.wake.set()

    def _apply(self, seqs: list[tuple[str, int]], stale: set[str]) -> None:
        for household_id, seq in seqs:
            self.publish(household_id, seq)
        for device_id in stale:
            for sub in list(self.devices.get(device_id, ())):
                sub.end(ErrorCode.UNAUTHENTICATED)

    async def serve(self, sub: Subscriber, receive: Receive, send: Send) -> None:
        """Stream pokes to one phone until it goes away, loses its access or the server stops."""
        assert self.loop is not None
        gone = self.loop.create_task(self._until_disconnect(receive, sub))
        try:
            await send({"type": "http.response.start", "status": 200, "headers": STREAM_HEADERS})
            sent = sub.seq
            await send(_chunk(event(sent)))
            reauth_at = self.loop.time() + REAUTH_S * (0.5 + random.random())
            while sub.ended is None:
                try:
                    async with asyncio.timeout(self.settings.live_heartbeat_s):
                        await sub.wake.wait()
                    woke = True
                except TimeoutError:
                    woke = False
                if self.loop.time() > reauth_at:
                    reauth_at = self.loop.time() + REAUTH_S * (0.5 + random.random())
                    if not await self._token_still_valid(sub):
                        sub.end(ErrorCode.UNAUTHENTICATED)
                if not woke:
                    await send(_chunk(HEARTBEAT))
                    continue
                sub.wake.clear()
                if sub.ended is None and sub.seq > sent:
                    sent = sub.seq
                    await send(_chunk(event(sent)))
            if sub.ended != "gone":
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            self.leave(sub)
            gone.cancel()

    @staticmethod
    async def _until_disconnect(receive: Receive, sub: Subscriber) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        sub.end("gone")

    async def _token_still_valid(self, sub: Subscriber) -> bool:
        def check() -> bool:
            with self.engine.connect() as conn:
                cursor = conn.connection.dbapi_connection.cursor()
                try:
                    cursor.execute(
                        driver_sql(conn, _TOKEN_STATE), (sub.device_id, sub.token_hash, sub.token_hash)
                    )
                    row = cursor.fetchone()
                finally:
                    cursor.close()
            return row is not None and bool(row[0]) and bool(row[2]) and row[1] == sub.household_id

        try:
            return await self.loop.run_in_executor(self.threads, check)
        except Exception:  # the database is away: keep the stream, ask again later
            log.warning("live: token re-check failed", exc_info=True)
            return True

    # --- other processes' pushes ----------------------------------------------------------------

    def _listening_devices(self) -> dict[str, str]:
        """Devices with open streams (device → household), copied while the event loop may
        change them (a dict is copied whole under the GIL)."""
        devices = {}
        for device_id, subscribers in list(self.devices.items()):
            with contextlib.suppress(IndexError):
                devices[device_id] = subscribers[0].household_id
        return devices

    async def _catch_up(self, households: list[str] | None = None) -> None:
        """Read the current state of the households' streams (all of them by default) and poke or
        end them: after the listening connection was away, or when a household's members changed."""
        devices = self._listening_devices()
        if households is not None:
            wanted = set(households)
            devices = {d: h for d, h in devices.items() if h in wanted}
        else:
            households = list(self.households)
        if not households and not devices:
            return

        def read() -> tuple[list[tuple[str, int]], set[str]]:
            with self.engine.connect() as conn:
                cursor = conn.connection.dbapi_connection.cursor()
                try:
                    return _read_state(cursor, conn.dialect.paramstyle == "qmark", households, devices)
                finally:
                    cursor.close()

        assert self.loop is not None
        self._apply(*await self.loop.run_in_executor(self.threads, read))

    async def _listen_postgres(self, url: str) -> None:
        """One dedicated connection LISTENs on the channels of the households with streams here
        (so a process hears only of its own households). When households come or go it stops
        reading, LISTENs / UNLISTENs, and reads the new households' numbers (a push may have
        committed before the LISTEN). When the connection drops: reconnect with backoff and read
        every stream's state again (notifications meanwhile are lost)."""
        import psycopg

        assert self._channels_changed is not None
        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    listening: set[str] = set()
                    delay = 0.5
                    while True:
                        self._channels_changed.clear()
                        wanted = {h for h in self.households if h.isalnum()}  # ids are hex
                        new, gone = wanted - listening, listening - wanted
                        statements = [f'LISTEN "{CHANNEL_PREFIX}{h}"' for h in new]
                        statements += [f'UNLISTEN "{CHANNEL_PREFIX}{h}"' for h in gone]
                        if statements:
                            await conn.execute("; ".join(statements))
                        if new:  # reconnected: every household; else the ones just opened
                            await self._catch_up(list(new))
                        listening = wanted
                        reading = self.loop.create_task(self._read_notifications(conn))
                        changed = self.loop.create_task(self._channels_changed.wait())
                        try:
                            await asyncio.wait((reading, changed), return_when=asyncio.FIRST_COMPLETED)
                            if reading.done():
                                reading.result()  # the connection failed
                        finally:  # also when this task is cancelled: the reader holds the connection
                            for task in (reading, changed):
                                task.cancel()
                            await asyncio.gather(reading, changed, return_exceptions=True)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("live: the LISTEN connection failed; retrying", exc_info=True)
            await asyncio.sleep(delay * (0.5 + random.random() / 2))
            delay = min(30.0, delay * 2)

    async def _read_notifications(self, conn: Any) -> None:
        async for note in conn.notifies():
            household_id = note.channel.removeprefix(CHANNEL_PREFIX)
            if note.payload == "members":
                if household_id not in self._rechecking:
                    self._rechecking.add(household_id)
                    task = self.loop.create_task(self._catch_up([household_id]))
                    task.add_done_callback(lambda _t, h=household_id: self._rechecking.discard(h))
            elif note.payload.isdigit():
                self.publish(household_id, int(note.payload))

    def _watch_sqlite(self, path: str) -> None:
        """Thread: notice commits to the database and poke the streams of households whose
        sequence number moved; end streams whose device may no longer listen.

        `PRAGMA data_version` on its own connection changes when another connection committed.
        On Linux, inotify watches on the signal files (written after every push, revocation or
        removal) wake it at once, and nothing runs while nothing happens; it looks every
        SAFETY_POLL_S anyway (other writers, such as the maintenance CLI). Without inotify it
        looks every `live_poll_ms`. A burst is read once (reads are at least MIN_CHECK_S and
        four times their own duration apart, so the thread takes at most a fifth of a core), and
        nothing is read while no stream is open here. The devices are re-checked when the
        members signal comes, else at most every DEVICE_CHECK_S after commits, after the pokes
        have gone out."""
        poll = self.settings.live_poll_ms / 1000
        inotify = self.settings.live_inotify
        pushed = _watch_file(self._signals["pushed"][0]) if inotify else None
        members = _watch_file(self._signals["members"][0]) if inotify else None
        conn: sqlite3.Connection | None = None
        version, known, last_check, cost = None, {}, 0.0, 0.0
        devices_due, members_signalled, next_device_check = False, False, 0.0
        while not self._stop.is_set():
            timeout = SAFETY_POLL_S if pushed is not None else poll
            if devices_due:
                timeout = min(timeout, max(0.0, next_device_check - time.monotonic()))
            # While no stream is open here, pushes do not even wake this thread.
            listened = self.households or self._fresh
            waiting = [
                fd
                for fd in (self._wake_r, pushed, members)
                if fd is not None and (listened or fd == self._wake_r)
            ]
            for fd in select.select(waiting, [], [], timeout)[0]:
                _drain(fd)
                members_signalled = members_signalled or fd == members
            if self._stop.is_set():
                break
            if not self.households and not self._fresh and not members_signalled:
                # nobody listens here: nothing to read (the next read is a full one)
                version, devices_due = None, False
                continue
            # A burst is read once; a read that took long (many households) waits longer.
            time.sleep(max(0.0, last_check + max(MIN_CHECK_S, 4 * cost) - time.monotonic()))
            try:
                if conn is None:
                    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5)
                    version = None
                last_check = time.monotonic()
                current = conn.execute("PRAGMA data_version").fetchone()[0]
                fresh, self._fresh = self._fresh, set()
                committed, version = current != version, current
                if committed or fresh:
                    # after a commit every household with streams here; else the ones just opened
                    households = list(self.households) if committed else list(fresh)
                    seqs, _ = _read_state(conn.cursor(), True, households, {})
                    changed = [(h, s) for h, s in seqs if known.get(h) != s]
                    # A full read forgets households nobody listens to any more.
                    known = dict(seqs) if committed else {**known, **dict(seqs)}
                    if changed:
                        self.loop.call_soon_threadsafe(self._apply, changed, set())
                devices_due = devices_due or committed
                if members_signalled or (devices_due and last_check >= next_device_check):
                    members_signalled, devices_due = False, False
                    next_device_check = last_check + DEVICE_CHECK_S
                    _, stale = _read_state(conn.cursor(), True, [], self._listening_devices())
                    if stale:
                        self.loop.call_soon_threadsafe(self._apply, [], stale)
                cost = time.monotonic() - last_check
            except sqlite3.Error:
                log.warning("live: the SQLite watcher failed; reopening", exc_info=True)
                if conn is not None:
                    conn.close()
                conn = None
                self._stop.wait(poll)
        if conn is not None:
            conn.close()
        for fd in (pushed, members):
            if fd is not None:
                os.close(fd)

    def _nudge_watcher(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            os.write(self._wake_w, b"x")


def _watch_file(path: str) -> int | None:
    """A descriptor that becomes readable when `path` is written (Linux inotify), or None where
    there is no inotify (the watcher then polls)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    except (OSError, AttributeError):
        return None
    if fd < 0:
        return None
    if libc.inotify_add_watch(fd, os.fsencode(path), IN_MODIFY) < 0:
        os.close(fd)
        return None
    return fd


def _drain(fd: int) -> None:
    with contextlib.suppress(BlockingIOError):
        while os.read(fd, 65536):
            pass


def end_streams_on_signal(hub: LiveHub) -> Callable[[], None]:
    """uvicorn waits for open responses to finish before the lifespan's shutdown runs, and an
    event stream does not finish by itself: on SIGTERM or SIGINT end the streams first, then let
    uvicorn's handler run. Only in the main thread (a server in a test's thread has no signals).
    Returns what puts the previous handlers back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous: dict[int, object] = {}

    def handler(sig: int, frame: FrameType | None) -> None:
        if hub.loop is not None:
            hub.loop.call_soon_threadsafe(hub.end_all)
        chained = previous[sig]
        if callable(chained):
            chained(sig, frame)
        elif sig == signal.SIGINT:
            raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.getsignal(sig)
        signal.signal(sig, handler)

    def restore() -> None:
        for sig, chained in previous.items():
            if signal.getsignal(sig) is handler:
                signal.signal(sig, chained)  # type: ignore[arg-type]

    return restore
