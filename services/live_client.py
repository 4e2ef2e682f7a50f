"""The phone's live connection: keeps `GET /v1/sync/live` (Server-Sent Events) open while the app
is in the foreground and reports the household's latest sequence number, so a partner's tick
shows within a moment instead of at the next timer sync. The data still comes by pull.

An asyncio task with httpx streaming; no Flet. When the connection drops it reconnects with
exponential backoff and jitter (1 s · 2ⁿ up to 60 s); the scheduler meanwhile keeps its timer.
A server that refuses the phone for good (401, 409, 410, 426, or an old server without the
endpoint) stops the listener; the scheduler starts a new one after the next successful sync.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Protocol

import httpx

from services.sync_client import SyncClient
from services.wire import PROTOCOL_HEADER, PROTOCOL_VERSION

log = logging.getLogger(__name__)

LIVE_PATH = "/v1/sync/live"
# The server sends a comment every 25 s: twice that without a byte means the connection is dead
# (a NAT or a mobile network dropped it without telling either side).
READ_TIMEOUT_S = 60.0
# Answers after which reconnecting cannot help; the code says why.
FINAL = {
    401: "unauthenticated",
    404: "unsupported",  # a server from before live updates
    405: "unsupported",
    409: "no_household",
    410: "removed",
    426: "unsupported_protocol",
}


async def parse_events(lines: AsyncIterator[str]) -> AsyncIterator[dict]:
    """Server-Sent Events: `data:` lines up to a blank line make one event (JSON here);
    comments (`:` lines, the heartbeat) and other fields are skipped."""
    data: list[str] = []
    async for line in lines:
        if line == "":
            if data:
                try:
                    yield json.loads("\n".join(data))
                except ValueError:
                    log.info("live: an event that is not JSON was skipped")
                data = []
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))


class LiveListener:
    """Keeps the live stream open and calls `on_seq(seq)` for every event (the first one right
    after connecting) and `on_state(up)` when the connection comes up or goes down."""

    def __init__(
        self,
        base_url: str,
        token: Callable[[], str | None],
        on_seq: Callable[[int], None],
        on_state: Callable[[bool], None] = lambda up: None,
        transport: httpx.AsyncBaseTransport | None = None,
        min_backoff_s: float = 1.0,
        max_backoff_s: float = 60.0,
        read_timeout_s: float = READ_TIMEOUT_S,
        rng: Callable[[], float] = random.random,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.base_url, self.token, self.on_seq, self.on_state = base_url, token, on_seq, on_state
        self.transport = transport
        self.min_backoff_s, self.max_backoff_s = min_backoff_s, max_backoff_s
        self.read_timeout_s = read_timeout_s
        self.rng, self.sleep = rng, sleep
        self.connected = False
        self.gave_up: str | None = None  # why the listener stopped for good (a FINAL code)
        self.failures = 0  # connection attempts in a row that did not deliver an event
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        """The listener is connected or waiting to reconnect."""
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Connect (in the running event loop) and keep connecting until `stop`."""
        if not self.running:
            self.gave_up = None
            self._task = asyncio.get_running_loop().create_task(self.run())

    def stop(self) -> None:
        """Close the connection (the app went to the background, or the scheduler stopped)."""
        if self._task is not None:
            self._task.cancel()
        self._set_connected(False)

    def backoff(self) -> float:
        """Exponential backoff with jitter: 1 s, 2 s, 4 s … up to 60 s, each × 0.5–1."""
        base = min(self.max_backoff_s, self.min_backoff_s * 2 ** max(0, self.failures - 1))
        return base * (0.5 + self.rng() / 2)

    async def run(self) -> None:
        """Connect, read events, reconnect after a pause; until stopped or refused for good."""
        timeout = httpx.Timeout(10.0, read=self.read_timeout_s)
        async with httpx.AsyncClient(
            base_url=self.base_url, timeout=timeout, transport=self.transport
        ) as http:
            try:
                while True:
                    wait = await self._listen_once(http)
                    if self.gave_up is not None:
                        log.info("live: stopped (%s)", self.gave_up)
                        return
                    await self.sleep(wait if wait is not None else self.backoff())
            finally:
                self._set_connected(False)

    async def _listen_once(self, http: httpx.AsyncClient) -> float | None:
        """One connection, until it ends. Returns the wait the server asked for (Retry-After),
        or None for the usual backoff."""
        token = self.token()
        if token is None:
            self.gave_up = "unauthenticated"
            return None
        headers = {"Authorization": f"Bearer {token}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        headers["Accept"] = "text/event-stream"
        self.failures += 1
        try:
            async with http.stream("GET", LIVE_PATH, headers=headers) as response:
                if response.status_code != 200:
                    return self._refused(response)
                async for event in parse_events(response.aiter_lines()):
                    seq = event.get("seq") if isinstance(event, dict) else None
                    if isinstance(seq, int):
                        self.failures = 0
                        self._set_connected(True)
                        self.on_seq(seq)
        except httpx.HTTPError as exc:  # the network, a timeout, a reset: try again later
            log.info("live: connection lost (%s)", type(exc).__name__)
        finally:
            self._set_connected(False)
        return None

    def _refused(self, response: httpx.Response) -> float | None:
        if response.status_code in FINAL:
            self.gave_up = FINAL[response.status_code]
            return None
        retry_after = response.headers.get("Retry-After", "")
        log.info("live: refused with %d", response.status_code)
        return float(retry_after) * (1 + self.rng() / 2) if retry_after.isdigit() else None

    def _set_connected(self, up: bool) -> None:
        if up != self.connected:
            self.connected = up
            self.on_state(up)


class LiveFactory(Protocol):
    """Makes the live listener for a sync client (the scheduler's optional `live` argument)."""

    def __call__(
        self, client: SyncClient, on_seq: Callable[[int], None], on_state: Callable[[bool], None]
    ) -> LiveListener: ...


def listener_for(
    client: SyncClient, on_seq: Callable[[int], None], on_state: Callable[[bool], None]
) -> LiveListener:
    """The default: the sync client's server and token (read at every connect, so a rotated token
    is used), with the listener's own asyncio HTTP connection."""
    return LiveListener(str(client.http.base_url), client.tokens.load, on_seq, on_state)
