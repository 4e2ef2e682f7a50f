"""Live pokes through the real ASGI stack: uvicorn processes on SQLite and PostgreSQL.

A push by one phone reaches the other phones' streams, also when the push lands on another
server process than the stream (two single-worker processes on one database: the push cannot
take the in-process path, so only LISTEN/NOTIFY or the SQLite watcher can deliver it). A revoked
or removed phone's stream is ended and refused; the caps hold; SIGTERM ends open streams instead
of hanging. With the real phone code (store, sync client, scheduler, listener) a partner's tick
arrives without any timer, and the timer takes over again when the connection drops.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from services.hlc import HybridClock
from services.store import open_store
from services.sync_client import StoreTokenStore, SyncClient
from services.sync_scheduler import OFFLINE, SyncScheduler, SyncStatus
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[3]


class Servers:
    """uvicorn processes (one worker each) on one database."""

    def __init__(self, database_url: str, tmp_path: Path) -> None:
        self.database_url, self.tmp_path = database_url, tmp_path
        self.procs: list[subprocess.Popen] = []

    def start(self, port: int | None = None, **env: str) -> str:
        port = port or free_port()
        log = self.tmp_path / f"server-{port}.log"
        environ = {**os.environ, "DATABASE_URL": self.database_url, "NYIN_SYNC_RATE_PER_MIN": "0", **env}
        cmd = [sys.executable, "-m", "uvicorn", "--factory", "server.app:create_app", "--port", str(port)]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=environ, stdout=log.open("ab"), stderr=subprocess.STDOUT)
        self.procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    return url
            except httpx.TransportError:
                time.sleep(0.05)
            if proc.poll() is not None:
                break
        raise RuntimeError(f"server did not start: {log.read_text()[-3000:]}")

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def servers(database_url: str, tmp_path: Path) -> Iterator[Servers]:
    s = Servers(database_url, tmp_path)
    try:
        yield s
    finally:
        s.stop_all()


class Device:
    """A phone speaking the wire protocol directly."""

    def __init__(self, url: str, household: bool = True) -> None:
        self.url = url
        body = httpx.post(f"{url}/v1/devices").json()
        self.device_id, self.token = body["device_id"], body["token"]
        self.clock = HybridClock(self.device_id[:8])
        self.counter = 0
        self.member_id = None
        if household:
            self.member_id = self.post("/v1/households", {"display_name": "Ana"}).json()["member_id"]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def post(self, path: str, body: dict | None = None, url: str | None = None) -> httpx.Response:
        return httpx.post(f"{url or self.url}{path}", json=body, headers=self.headers, timeout=10)

    def join(self, owner: Device) -> None:
        code = owner.post("/v1/invites").json()["code"]
        self.member_id = self.post("/v1/invites/redeem", {"code": code, "display_name": "Marek"}).json()[
            "member_id"
        ]

    def push(self, row_key: str, value: str, url: str | None = None) -> dict:
        self.counter += 1
        op = {
            "counter": self.counter,
            "entity": "step_state",
            "row_key": row_key,
            "field": "status",
            "value": value,
            "stamp": self.clock.now().encode(),
        }
        response = self.post("/v1/sync/push", {"protocol": 1, "ops": [op]}, url=url)
        assert response.status_code == 200, response.text
        return response.json()


def family(url: str) -> tuple[Device, Device]:
    ana, marek = Device(url), Device(url, household=False)
    marek.join(ana)
    return ana, marek


class Stream:
    """`GET /v1/sync/live` read in a thread: sequence numbers and comments as they come."""

    def __init__(self, url: str, token: str) -> None:
        self.seqs: queue.Queue[int] = queue.Queue()
        self.comments = 0
        self.status: int | None = None
        self.headers: httpx.Headers | None = None
        self.body = b""
        self.ended = threading.Event()
        self._answered = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(url, token), daemon=True)
        self._thread.start()
        assert self._answered.wait(30), "no answer"

    def _read(self, url: str, token: str) -> None:
        try:
            headers = {"Authorization": f"Bearer {token}"}
            timeout = httpx.Timeout(10, read=120)
            with httpx.stream("GET", f"{url}/v1/sync/live", headers=headers, timeout=timeout) as response:
                self.status, self.headers = response.status_code, response.headers
                if response.status_code != 200:
                    self.body = response.read()
                    return
                self._answered.set()
                for line in response.iter_lines():
                    if line.startswith("data:"):
                        self.seqs.put(json.loads(line[5:])["seq"])
                    elif line.startswith(":"):
                        self.comments += 1
        except httpx.HTTPError:
            pass
        finally:
            self.ended.set()
            self._answered.set()

    def next_seq(self) -> int:
        return self.seqs.get(timeout=30)

    def until_seq(self, wanted: int) -> None:
        while (seq := self.next_seq()) < wanted:
            pass
        assert seq == wanted

    def error_code(self) -> str:
        return json.loads(self.body)["error"]["code"]


def test_a_push_pokes_every_open_phone_of_the_household_and_no_other(servers):
    url = servers.start()
    ana, marek = family(url)
    stranger = Device(url)
    marek_stream, ana_stream, stranger_stream = (Stream(url, d.token) for d in (marek, ana, stranger))
    assert marek_stream.status == 200 and marek_stream.headers["content-type"] == "text/event-stream"
    assert marek_stream.headers["cache-control"] == "no-cache" and "x-server-time" in marek_stream.headers
    assert marek_stream.next_seq() == 0 and ana_stream.next_seq() == 0  # the current number, at once

    ana.push("id_check_tax_office", "done")
    assert marek_stream.next_seq() == 1
    assert ana_stream.next_seq() == 1  # her own push too: her cursor tells her it is nothing new
    pull = httpx.get(f"{url}/v1/sync/pull", params={"since": 0}, headers=marek.headers).json()
    assert pull["cursor"] == 1  # the poke's number is what a pull reaches

    stranger.push("bank_account", "done")
    assert stranger_stream.next_seq() == 0 and stranger_stream.next_seq() == 1
    ana.push("bankid", "done")
    assert marek_stream.next_seq() == 2  # nothing of the other household came in between

    marek_stream_2 = Stream(url, marek.token)  # a reconnect learns where the household is
    assert marek_stream_2.next_seq() == 2


def test_a_push_on_one_process_reaches_streams_on_another(servers):
    first = servers.start()
    second = servers.start()
    ana, marek = family(first)
    stream = Stream(first, marek.token)
    assert stream.next_seq() == 0
    for n in range(1, 6):
        ana.push(f"step{n}", "done", url=second)  # the other process: only the database links them
        assert stream.next_seq() == n
    # and the other way round
    stream_on_second = Stream(second, marek.token)
    assert stream_on_second.next_seq() == 5
    ana.push("step6", "done", url=first)
    assert stream_on_second.next_seq() == 6 and stream.next_seq() == 6


def test_on_sqlite_without_inotify_the_watcher_polls(tmp_path):
    servers = Servers(f"sqlite:///{tmp_path / 'server.db'}", tmp_path)  # as on macOS
    try:
        first = servers.start(NYIN_LIVE_INOTIFY="0", NYIN_LIVE_POLL_MS="50")
        second = servers.start(NYIN_LIVE_INOTIFY="0", NYIN_LIVE_POLL_MS="50")
        ana, marek = family(first)
        stream = Stream(first, marek.token)
        assert stream.next_seq() == 0
        ana.push("bank_account", "done", url=second)
        assert stream.next_seq() == 1
    finally:
        servers.stop_all()


def test_a_revoked_or_removed_phone_loses_its_stream_and_is_refused(servers):
    first = servers.start()
    second = servers.start()
    ana, marek = family(first)
    lisa = Device(first, household=False)
    lisa.join(ana)
    marek_stream, lisa_stream = Stream(first, marek.token), Stream(first, lisa.token)
    assert marek_stream.next_seq() == 0 and lisa_stream.next_seq() == 0

    # revoked through the other process
    assert ana.post(f"/v1/devices/{marek.device_id}/revoke", url=second).status_code == 204
    assert marek_stream.ended.wait(30)
    again = Stream(first, marek.token)
    assert again.status == 401 and again.error_code() == "unauthenticated"

    removed = httpx.delete(f"{second}/v1/household/members/{lisa.member_id}", headers=ana.headers)
    assert removed.status_code == 204
    assert lisa_stream.ended.wait(30)
    again = Stream(first, lisa.token)
    assert again.status == 410 and again.error_code() == "removed_from_household"

    ana_stream = Stream(first, ana.token)  # the rest of the family is unaffected
    ana.push("bank_account", "done", url=second)
    assert ana_stream.next_seq() == 0 and ana_stream.next_seq() == 1


def test_the_stream_refuses_like_push_and_pull_and_keeps_its_caps(servers):
    url = servers.start(NYIN_LIVE_MAX_PER_HOUSEHOLD="3", NYIN_LIVE_HEARTBEAT_S="0.2")
    no_token = httpx.get(f"{url}/v1/sync/live")
    assert no_token.status_code == 401 and no_token.json()["error"]["code"] == "unauthenticated"
    garbage = httpx.get(f"{url}/v1/sync/live", headers={"Authorization": "Bearer nope"})
    assert garbage.status_code == 401
    loner = Device(url, household=False)
    assert Stream(url, loner.token).error_code() == "no_household"
    wrong_method = httpx.post(f"{url}/v1/sync/live", headers=loner.headers)
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "GET"
    old_app = httpx.get(f"{url}/v1/sync/live", headers={**loner.headers, "X-Protocol-Version": "99"})
    assert old_app.status_code == 426

    ana, marek = family(url)
    first, second = Stream(url, marek.token), Stream(url, marek.token)
    third = Stream(url, marek.token)  # a third of one phone replaces its oldest (maybe dead) one
    assert first.ended.wait(30) and not second.ended.is_set() and third.status == 200
    Stream(url, ana.token)  # household: 3 streams now
    refused = Stream(url, ana.token)
    assert refused.status == 429 and refused.error_code() == "too_many_connections"
    assert refused.headers["retry-after"] == "60"

    while second.comments < 2:  # the heartbeat keeps an idle stream alive
        assert not second.ended.wait(0.1)


def test_sigterm_ends_open_streams_and_the_server_exits(servers):
    url = servers.start()
    ana, marek = family(url)
    streams = [Stream(url, ana.token), Stream(url, marek.token)]
    assert all(s.next_seq() == 0 for s in streams)
    proc = servers.procs[0]
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)  # a hang-guard, not a time measurement: open streams do not keep it up
    assert all(s.ended.wait(30) for s in streams)


def phone(folder: Path, url: str) -> SyncClient:
    store = open_store(folder)
    return SyncClient(
        store,
        httpx.Client(base_url=url, timeout=5),
        StoreTokenStore(store),
        max_attempts=1,
        sleep=lambda s: 0,
    )


async def until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


async def test_real_phones_see_a_partners_tick_without_a_timer_and_fall_back_when_it_drops(servers, tmp_path):
    port = free_port()
    url = servers.start(port=port)
    ana, marek = phone(tmp_path / "ana", url), phone(tmp_path / "marek", url)
    ana.create_household("Ana")
    marek.join(ana.create_invite()["code"], "Marek")
    seen: dict[str, list[SyncStatus]] = {"ana": [], "marek": []}
    # An hour between timer syncs: only the live connection can explain a quick arrival.
    schedulers = {
        name: SyncScheduler(
            lambda c=client: c, client.store.pending_count, seen[name].append, interval_s=3600
        )
        for name, client in (("ana", ana), ("marek", marek))
    }
    for scheduler in schedulers.values():
        scheduler.start()
    await until(lambda: all(s.live_up for s in schedulers.values()))
    syncs_before = sum(1 for s in seen["ana"] if s.state == "syncing")

    marek.store.set_step_status("id_check_tax_office", "done")
    schedulers["marek"].local_edit()
    await until(lambda: ana.store.statuses().get("id_check_tax_office") == "done")
    ana.store.set_step_status("bank_account", "done")
    schedulers["ana"].local_edit()
    await until(lambda: marek.store.statuses().get("bank_account") == "done")
    # Ana synced for Marek's tick and for her own, not again for her own push coming back.
    await asyncio.sleep(0.3)
    assert sum(1 for s in seen["ana"] if s.state == "syncing") == syncs_before + 2

    # The server goes away: the connection drops and the timer (1 s here) takes over again.
    marek_scheduler = schedulers["marek"]
    marek_scheduler.interval_s = 1.0
    proc = servers.procs[0]
    proc.terminate()
    proc.wait(timeout=30)
    await until(lambda: not marek_scheduler.live_up)
    await until(lambda: seen["marek"][-1].state == OFFLINE)  # the fallback timer tried
    servers.start(port=port)  # back (same database): the next timer sync reconnects
    await until(lambda: marek_scheduler.live_up)
    ana.store.set_step_status("bankid", "done")
    schedulers["ana"].local_edit()
    await until(lambda: marek.store.statuses().get("bankid") == "done")
    for scheduler in schedulers.values():
        scheduler.stop()
    await asyncio.sleep(0.1)  # let the listeners close their connections
