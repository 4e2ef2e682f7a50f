"""The scheduler with a live connection: a poke syncs at once unless the phone already has that
change, the timer relaxes while the connection is up and takes over again when it drops, the
background closes the connection, and a local edit goes out at once (a burst together).
The client and the listener are stand-ins; the real ones are in tests/integration."""

from __future__ import annotations

import asyncio

import pytest

from services.sync_client import SyncError, SyncResult
from services.sync_scheduler import NOT_SET_UP, UP_TO_DATE, SyncScheduler, SyncStatus


class Server:
    def __init__(self) -> None:
        self.seq = 0  # the household's sequence number
        self.last_row = 0  # the highest number a stored row carries (a lost write leaves a gap)


class Store:
    def __init__(self) -> None:
        self.cursor = 0

    def sync_cursor(self) -> int:
        return self.cursor


class Client:
    """Pulls up to the server's newest row; can be told to fail."""

    def __init__(self, server: Server) -> None:
        self.server, self.store = server, Store()
        self.syncs = 0
        self.fail: str | None = None
        self.during_sync = lambda: None

    def sync(self) -> SyncResult:
        self.syncs += 1
        self.during_sync()
        if self.fail:
            raise SyncError(self.fail, "no")
        pulled = self.server.last_row - self.store.cursor
        self.store.cursor = self.server.last_row
        return SyncResult(0, pulled)


class Listener:
    def __init__(self, client, on_seq, on_state) -> None:
        self.client, self.on_seq, self.on_state = client, on_seq, on_state
        self.started = self.stopped = False
        self.gave_up: str | None = None

    @property
    def running(self) -> bool:
        return self.started and not self.stopped and self.gave_up is None

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.stopped = True


class Phone:
    def __init__(self, **kwargs) -> None:
        self.server = Server()
        self.client = Client(self.server)
        self.listeners: list[Listener] = []
        self.seen: list[SyncStatus] = []
        self.household = True

        def live(client, on_seq, on_state):
            self.listeners.append(Listener(client, on_seq, on_state))
            return self.listeners[-1]

        self.scheduler = SyncScheduler(
            lambda: self.client if self.household else None,
            lambda: 0,
            self.seen.append,
            live=live,
            **{"interval_s": 3600, "live_interval_s": 7200, **kwargs},
        )

    @property
    def listener(self) -> Listener:
        return self.listeners[-1]

    def planned_in(self) -> float | None:
        due = self.scheduler._due
        return None if due is None else round(due - asyncio.get_running_loop().time())

    async def settle(self, syncs: int | None = None) -> None:
        """Let the loop run until nothing is due at once (and `syncs` syncs happened)."""
        for _ in range(500):
            await asyncio.sleep(0.01)
            planned = self.planned_in()
            idle = not self.scheduler._syncing and (planned is None or planned > 1)
            if idle and (syncs is None or self.client.syncs == syncs):
                return
        raise AssertionError(f"not settled: {self.client.syncs} syncs, planned in {self.planned_in()}")


@pytest.fixture
async def phone():
    p = Phone()
    p.scheduler.start()
    await p.settle(syncs=1)
    yield p
    p.scheduler.stop()


async def test_the_live_connection_opens_after_the_first_sync_and_relaxes_the_timer(phone):
    assert len(phone.listeners) == 1 and phone.listener.running
    assert phone.listener.client is phone.client
    assert phone.planned_in() == 3600  # not up yet: the usual timer
    phone.listener.on_state(True)
    phone.listener.on_seq(0)  # first event: nothing new
    await phone.settle(syncs=1)
    assert phone.scheduler.live_up
    phone.scheduler.sync_soon()
    await phone.settle(syncs=2)
    assert phone.planned_in() == 7200  # changes are announced: the timer is only a safety net


async def test_a_poke_syncs_at_once_but_not_for_what_the_phone_already_has(phone):
    phone.listener.on_state(True)
    phone.server.seq = phone.server.last_row = 3
    phone.listener.on_seq(3)  # a partner's tick
    await phone.settle(syncs=2)
    assert phone.client.store.cursor == 3
    phone.listener.on_seq(3)  # the same number again (a reconnect's first event)
    phone.listener.on_seq(2)
    await phone.settle(syncs=2)
    assert phone.client.syncs == 2  # nothing pulled for nothing


async def test_a_poke_during_a_sync_waits_for_it_and_is_dropped_when_that_sync_covered_it(phone):
    phone.listener.on_state(True)

    def own_push_comes_back_while_syncing():
        phone.server.seq = phone.server.last_row = 5  # this phone's own push
        phone.listener.on_seq(5)  # announced before the pull answered (called off the loop here)

    phone.client.during_sync = own_push_comes_back_while_syncing
    phone.scheduler.local_edit()
    await phone.settle(syncs=2)
    phone.client.during_sync = lambda: None
    await phone.settle(syncs=2)
    assert phone.client.syncs == 2  # the sync's own pull covered it: no second sync


async def test_a_number_that_no_row_carries_costs_one_pull_not_a_loop(phone):
    phone.listener.on_state(True)
    phone.server.seq = 9  # a write that lost to a newer one used number 9; the newest row is 8
    phone.server.last_row = 8
    phone.listener.on_seq(9)
    await phone.settle(syncs=2)
    phone.listener.on_seq(9)
    await phone.settle(syncs=2)
    assert phone.client.store.cursor == 8 and phone.client.syncs == 2


async def test_when_the_connection_drops_the_usual_timer_takes_over():
    phone = Phone(interval_s=60, live_interval_s=300)
    phone.scheduler.start()
    await phone.settle(syncs=1)
    phone.listener.on_state(True)
    phone.scheduler.sync_soon()
    await phone.settle(syncs=2)
    assert phone.planned_in() == 300
    phone.listener.on_state(False)  # the connection dropped: pokes may be missed from now on
    assert not phone.scheduler.live_up and phone.planned_in() == 60
    phone.scheduler.sync_soon()
    await phone.settle(syncs=3)
    assert phone.planned_in() == 60
    phone.scheduler.stop()


async def test_the_background_closes_the_connection_and_the_foreground_opens_a_new_one(phone):
    first = phone.listener
    first.on_state(True)
    phone.scheduler.pause()
    assert first.stopped and not phone.scheduler.live_up
    first.on_seq(42)  # a late event of the closed connection is ignored
    await asyncio.sleep(0.05)
    assert phone.client.syncs == 1
    phone.scheduler.resume()
    await phone.settle(syncs=2)
    assert len(phone.listeners) == 2 and phone.listener.running and phone.listener is not first


async def test_a_listener_that_gave_up_is_replaced_after_the_next_good_sync_unless_unsupported(phone):
    phone.listener.gave_up = "unauthenticated"  # e.g. a token rotated while it connected
    phone.scheduler.sync_soon()
    await phone.settle(syncs=2)
    assert len(phone.listeners) == 2 and phone.listener.running

    phone.listener.gave_up = "unsupported"  # an older server without the live endpoint
    for syncs in (3, 4):
        phone.scheduler.sync_soon()
        await phone.settle(syncs=syncs)
    assert len(phone.listeners) == 2  # not asked again


async def test_a_failed_sync_keeps_the_listener_and_no_household_closes_it(phone):
    phone.client.fail = "offline"
    phone.scheduler.sync_soon()
    await phone.settle(syncs=2)
    assert len(phone.listeners) == 1 and phone.listener.running
    phone.household = False  # left the family
    phone.scheduler.sync_soon()
    await phone.settle()
    assert phone.listener.stopped and phone.seen[-1].state == NOT_SET_UP


async def test_a_lone_edit_is_pushed_at_once_and_a_burst_together(phone):
    assert phone.seen[-1].state == UP_TO_DATE
    loop = asyncio.get_running_loop()
    phone.scheduler.local_edit()
    assert phone.scheduler._due <= loop.time()  # after a quiet moment: at once
    phone.scheduler.local_edit()  # the next tick right after: the burst goes together, later
    assert phone.scheduler._due - loop.time() == pytest.approx(0.3, abs=0.05)
    await phone.settle(syncs=2)
    await asyncio.sleep(0.05)
    assert phone.client.syncs == 2  # one push for both


async def test_without_a_live_factory_the_scheduler_only_uses_its_timer():
    seen: list[SyncStatus] = []
    client = Client(Server())
    scheduler = SyncScheduler(lambda: client, lambda: 0, seen.append, live=None, interval_s=3600)
    scheduler.start()
    for _ in range(200):
        await asyncio.sleep(0.01)
        if client.syncs:
            break
    assert client.syncs == 1 and scheduler._listener is None
    scheduler.stop()
