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
