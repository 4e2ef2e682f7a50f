"""When the app syncs and what it says about it, with the real client, store and server."""

from __future__ import annotations

import asyncio

import httpx

from services.store import open_store
from services.sync_client import StoreTokenStore, SyncClient
from services.sync_scheduler import NOT_SET_UP, OFFLINE, UP_TO_DATE, WAITING, SyncScheduler, SyncStatus


def phone(tmp_path, url: str) -> SyncClient:
    store = open_store(tmp_path)
    http = httpx.Client(base_url=url, timeout=5)
    return SyncClient(store, http, StoreTokenStore(store), max_attempts=1, sleep=lambda s: None)


async def until(condition, timeout: float = 10) -> None:
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


async def test_edits_are_debounced_into_one_sync_and_the_status_follows(tmp_path, live_server):
    client = phone(tmp_path, live_server)
    client.create_household("Ana")
    seen: list[SyncStatus] = []
    scheduler = SyncScheduler(
        lambda: client, client.store.pending_count, seen.append, debounce_s=0.3, interval_s=3600
    )
    scheduler.start()
    await until(lambda: seen and seen[-1].state == UP_TO_DATE)
    syncs_before = sum(1 for s in seen if s.state == "syncing")
    for step in ("letterbox_name", "bank_account", "bankid"):
        client.store.set_step_status(step, "done")
        scheduler.local_edit()
    assert seen[-1].state == WAITING and seen[-1].pending == 3  # said at once, before any network
    await until(lambda: seen[-1].state == UP_TO_DATE)
    assert sum(1 for s in seen if s.state == "syncing") == syncs_before + 1  # one sync for three edits
    assert client.store.pending_count() == 0
    scheduler.stop()


async def test_no_family_means_nothing_is_sent(tmp_path):
    seen: list[SyncStatus] = []
    scheduler = SyncScheduler(lambda: None, lambda: 0, seen.append)
    assert (await scheduler.sync_once()).state == NOT_SET_UP


async def test_offline_waits_longer_after_each_failure_and_keeps_the_changes(tmp_path):
    client = phone(tmp_path, "http://127.0.0.1:9")  # nothing listens there
    client.tokens.save("token")
    client.store.set_step_status("letterbox_name", "done")
    seen: list[SyncStatus] = []
    scheduler = SyncScheduler(lambda: client, client.store.pending_count, seen.append, rng=lambda: 1.0)
    delays = []
    for _ in range(3):
        status = await scheduler.sync_once()
        delays.append(scheduler._next_delay())
    assert status.state == OFFLINE and status.pending == 1
    assert delays == [5.0, 10.0, 20.0]
    scheduler.resume()  # back in the foreground: try at once, from the start of the backoff
    assert scheduler.failures == 0


async def test_edits_during_a_server_outage_wait_for_the_backoff_instead_of_hammering(tmp_path):
    """The soak benchmark saw every edit of every phone retry at once while the database was down."""
    client = phone(tmp_path, "http://127.0.0.1:9")
    client.tokens.save("token")
    seen: list[SyncStatus] = []
    scheduler = SyncScheduler(lambda: client, client.store.pending_count, seen.append, rng=lambda: 1.0)
    await scheduler.sync_once()  # failed: the backoff runs
    scheduler._due = None
    client.store.set_step_status("letterbox_name", "done")
    scheduler.local_edit()
    assert scheduler._due is None  # no extra sync planned: the backoff's next try takes the edit
    assert seen[-1].state == OFFLINE and seen[-1].pending == 1  # and the person is told it waits
    scheduler.sync_soon()  # "Try again" still tries at once
    assert scheduler._due is not None and scheduler.failures == 0


def test_a_phone_whose_clock_ran_a_day_ahead_recovers_and_its_edits_still_order_correctly(
    tmp_path, live_server
):
    import time

    ana = phone(tmp_path / "ana", live_server)
    ana.create_household("Ana")
    invite = ana.create_invite()
    marek = phone(tmp_path / "marek", live_server)
    marek.join(invite["code"], "Marek")

    day = 24 * 3600 * 1000
    ana.store.clock.physical = lambda: int(time.time() * 1000) + day  # the phone's clock is wrong
    ana.store.set_step_note("bank_account", "from the future")
    ana.sync()  # refused once as too far ahead, rewound to server time, accepted
    assert ana.store.pending_count() == 0
    marek.sync()
    assert marek.store.notes() == {"bank_account": "from the future"}

    marek.store.set_step_note("bank_account", "later edit wins")  # a real later edit must win
    marek.sync()
    ana.store.set_step_note("bankid", "ana again")  # Ana's clock is still a day ahead
    ana.sync()
    marek.sync()
    assert (
        ana.store.notes()
        == marek.store.notes()
        == {
            "bank_account": "later edit wins",
            "bankid": "ana again",
        }
    )


async def test_stopping_waits_for_a_sync_still_running_in_its_thread():
    """Erasing the phone's data closes the store: a sync thread still using it crashed the process."""
    import threading

    from services.sync_client import SyncResult

    started, release = threading.Event(), threading.Event()

    class SlowClient:
        def sync(self) -> SyncResult:
            started.set()
            release.wait(5)
            return SyncResult(0, 0)

    scheduler = SyncScheduler(lambda: SlowClient(), lambda: 0, lambda status: None)
    running = asyncio.get_running_loop().create_task(scheduler.sync_once())
    await asyncio.to_thread(started.wait, 5)
    stopping = asyncio.get_running_loop().create_task(scheduler.stop_and_wait())
    await asyncio.sleep(0.2)
    assert not stopping.done()  # the thread still holds the store
    release.set()
    await asyncio.wait_for(stopping, 5)
    await running
