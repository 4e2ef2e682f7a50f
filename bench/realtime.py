"""Real time for families: how fast a tick on one phone shows on the other, and what 1,000 open
phones cost the server.

(a) Tick-to-visible between two headless phones, each the app's real code with its own local
    store (SQLite file, durable), phone B in a process of its own: the tick is written locally,
    the scheduler pushes it, the server pokes the other phone's live connection
    (`GET /v1/sync/live`), whose scheduler pulls it; the time runs from the tick until the value
    is in the other phone's store. Both phones on one server process, and on two processes of one
    database (then only the database links them). Baseline in the same run, pouchdb-server, with
    what PouchDB's live replication sends (phone A `_revs_diff` + `_bulk_docs`, phone B
    `_changes?feed=longpoll` + `_bulk_get`) and with the fewest round trips pouchdb allows (one
    PUT; the longpoll answer carries the document); its phones keep no local database, in its
    favour. Ticks come one at a time, 0.35–0.45 s apart, in blocks of 25, the sides taking turns.
    Targets: our p95 <= pouchdb's (replication), and <= 1 s.
(b) Fan-out: 1,000 open live connections across 500 households (two phones each) against one
    server process, then two workers. Server memory (RSS of the worker processes) before and
    after opening them, per connection; then pokes one at a time to random households (a push
    by one phone, timed until the other phone's connection has the event), p50/p95, against
    the same pokes with only one household connected (ratio). pouchdb-server with the same
    1,000 longpoll listeners across 500 databases, measured the same way, for comparison.

pouchdb-server comes from the npm registry (needs node + npm):  npm ci --prefix bench/peer
Run from the project root:
    .venv/bin/python bench/realtime.py [--ticks 200] [--households 500] [--pokes 300]
                                       [--workers 1,2] [--postgres] [--smoke]
`--smoke` is a tiny run (a few ticks, 10 households) that the test suite runs; without
pouchdb-server installed it measures our side only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync_server import ROOT, free_port, throwaway_postgres, wait_http  # noqa: E402
from sync_vs_pouchdb import POUCH_BIN, pouchdb_server  # noqa: E402

from services.hlc import HybridClock  # noqa: E402
from services.store import open_store  # noqa: E402
from services.sync_client import StoreTokenStore, SyncClient  # noqa: E402
from services.sync_scheduler import UP_TO_DATE, WAITING, SyncScheduler  # noqa: E402

BLOCK = 25  # ticks per block; the servers alternate blocks
STEPS = 25  # a tick sets one of these steps' status, flipping done <-> not_relevant per round


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(values: list[float], p: float) -> str:
    return f"{pct(values, p) * 1000:8.1f}"


def tick(i: int) -> tuple[str, str]:
    return f"step{i % STEPS}", ("done", "not_relevant")[(i // STEPS) % 2]


@contextlib.contextmanager
def our_server(
    database_url: str, workers: int, env: dict[str, str] | None = None, log_path: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """This server on a free port; one worker runs in the process itself (no supervisor). `env`
    adds settings (the sync rate limit is off unless it says otherwise); `log_path` keeps the
    server's output in a file."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NYIN_SYNC_RATE_PER_MIN": "0",
        "NYIN_ABUSE_LIMITS": "off",
        **(env or {}),
    }
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "server.app:create_app", "--port", str(port)]
    cmd += ["--log-level", "warning", "--no-access-log"] + (
        ["--workers", str(workers)] if workers > 1 else []
    )
    with contextlib.ExitStack() as files:
        log = files.enter_context(log_path.open("ab")) if log_path is not None else None
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT if log else None)
    try:
        wait_http(f"http://127.0.0.1:{port}/v1/health")
        if workers > 1:  # every worker up (each answers health on the shared socket)
            while len(children(proc.pid)) < workers:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                if int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
    return found


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def worker_pids(proc: subprocess.Popen, workers: int) -> list[int]:
    """The processes that hold the connections (the supervisor holds none)."""
    if workers == 1:
        return [proc.pid]
    # multiprocessing's resource tracker is a child too: the workers are the big ones
    return sorted(children(proc.pid), key=lambda p: rss_bytes([p]))[-workers:]


# --- (a) tick-to-visible ------------------------------------------------------------------------


def phone(folder: Path, url: str) -> SyncClient:
    store = open_store(folder)
    http = httpx.Client(base_url=url, timeout=httpx.Timeout(10.0, connect=5.0))
    return SyncClient(store, http, StoreTokenStore(store), max_attempts=3)


class ChildPhone:
    """Phone B in a process of its own (as on a real second phone: no GIL shared with phone A or
    the driver). It prints `{"key", "value", "t"}` for every status that changes in what it
    shows, `t` from the machine-wide monotonic clock, so the driver can compare with its own."""

    def __init__(self, *argv: str) -> None:
        self.argv = argv
        self.waiting: tuple[str, str, asyncio.Future[float]] | None = None

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--child", *self.argv, stdout=asyncio.subprocess.PIPE, cwd=ROOT
        )
        assert (await asyncio.wait_for(self.proc.stdout.readline(), 60)).strip() == b"ready"
        self.task = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        while line := await self.proc.stdout.readline():
            seen = json.loads(line)
            if self.waiting and (seen["key"], seen["value"]) == self.waiting[:2]:
                self.waiting[2].set_result(seen["t"])

    def expect(self, key: str, value: str) -> asyncio.Future[float]:
        self.waiting = (key, value, asyncio.get_running_loop().create_future())
        return self.waiting[2]

    async def stop(self) -> None:
        self.task.cancel()
        self.proc.terminate()
        await self.proc.wait()


class OurPhones:
    """Ana (here) and Marek (a child process): the app's store, sync client, scheduler and live
    listener each."""

    def __init__(self, url_a: str, url_b: str, folder: Path) -> None:
        self.a = phone(folder / "a", url_a)
        self.a.create_household("Ana")
        self.b = ChildPhone("ours", url_b, str(folder / "b"), self.a.create_invite()["code"])
        self.sa = SyncScheduler(lambda: self.a, self.a.store.pending_count, lambda s: None)

    async def start(self) -> None:
        self.sa.start()
        await self.b.start()
        while not self.sa.live_up:
            await asyncio.sleep(0.01)

    async def tick(self, i: int) -> float:
        key, value = tick(i)
        shown = self.b.expect(key, value)
        t0 = time.perf_counter()
        self.a.store.set_step_status(key, value)  # what the app does on a tap
        self.sa.local_edit()
        return await asyncio.wait_for(shown, 30) - t0

    async def stop(self) -> None:
        self.sa.stop()
        await self.b.stop()


class PouchPhones:
    """pouchdb-server's side, in one of two ways (phone B in a child process):
    - "docs": phone A PUTs the document, phone B holds `_changes?feed=longpoll&include_docs=true`
      open (the document comes with the answer): the fewest round trips pouchdb allows;
    - "replication": what PouchDB's live replication sends: phone A `_revs_diff` then
      `_bulk_docs` (new_edits=false, its own revision), phone B `_changes?feed=longpoll&
      style=all_docs` then `_bulk_get` for the changed revisions.
    Neither phone keeps a local database (a PouchDB phone would write one): in pouchdb's favour."""

    def __init__(self, url: str, mode: str) -> None:
        self.url, self.mode = url, mode
        self.db = f"family{random.randrange(10**9)}"
        self.revs: dict[str, list[str]] = {}  # "replication": revision hashes, newest first
        self.put_revs: dict[str, str] = {}  # "docs": the revision the server gave
        self.b = ChildPhone("pouch", url, self.db, mode)

    async def start(self) -> None:
        self.a = httpx.AsyncClient(base_url=self.url, timeout=60)
        (await self.a.put(f"/{self.db}")).raise_for_status()
        await self.b.start()

    async def tick(self, i: int) -> float:
        key, value = tick(i)
        shown = self.b.expect(key, value)
        t0 = time.perf_counter()
        if self.mode == "docs":
            doc = {"status": value, **({"_rev": self.put_revs[key]} if key in self.put_revs else {})}
            answer = await self.a.put(f"/{self.db}/{key}", json=doc)
            answer.raise_for_status()
            self.put_revs[key] = answer.json()["rev"]
        else:
            history = self.revs[key] = [uuid.uuid4().hex] + self.revs.get(key, [])
            rev = f"{len(history)}-{history[0]}"
            (await self.a.post(f"/{self.db}/_revs_diff", json={key: [rev]})).raise_for_status()
            doc = {"_id": key, "_rev": rev, "status": value}
            doc["_revisions"] = {"start": len(history), "ids": history}
            sent = await self.a.post(f"/{self.db}/_bulk_docs", json={"docs": [doc], "new_edits": False})
            sent.raise_for_status()
        return await asyncio.wait_for(shown, 30) - t0

    async def stop(self) -> None:
        await self.b.stop()
        await self.a.aclose()


async def child_ours(url: str, folder: str, code: str) -> None:
    """Phone B of our side: joins with the code, then reports what its store shows after syncs."""
    b = phone(Path(folder), url)
    b.join(code, "Marek")
    shown: dict[str, str] = {}

    def synced(status: object) -> None:
        if status.state in (UP_TO_DATE, WAITING):
            now, current = time.perf_counter(), b.store.statuses()
            for key, value in current.items():
                if shown.get(key) != value:
                    print(json.dumps({"key": key, "value": value, "t": now}), flush=True)
            shown.clear()
            shown.update(current)

    scheduler = SyncScheduler(lambda: b, b.store.pending_count, synced)
    scheduler.start()
    while not scheduler.live_up:
        await asyncio.sleep(0.01)
    print("ready", flush=True)
    await asyncio.Event().wait()


async def child_pouch(url: str, db: str, mode: str) -> None:
    """Phone B of pouchdb's side (see PouchPhones)."""
    async with httpx.AsyncClient(base_url=url, timeout=None) as http:
        since: object = 0
        params = {"feed": "longpoll", "timeout": "600000", "limit": "100"}
        params |= {"include_docs": "true"} if mode == "docs" else {"style": "all_docs", "heartbeat": "10000"}
        request = http.get(f"/{db}/_changes", params={**params, "since": since})
        print("ready", flush=True)
        while True:
            body = (await request).json()
            since = body["last_seq"]
            request = http.get(f"/{db}/_changes", params={**params, "since": since})
            if mode == "docs":
                docs = [row.get("doc") or {} for row in body["results"]]
            else:
                wanted = [{"id": r["id"], "rev": c["rev"]} for r in body["results"] for c in r["changes"]]
                fetched = await http.post(
                    f"/{db}/_bulk_get", params={"revs": "true", "latest": "true"}, json={"docs": wanted}
                )
                docs = [d["ok"] for result in fetched.json()["results"] for d in result["docs"] if "ok" in d]
            now = time.perf_counter()
            for doc in docs:
                print(json.dumps({"key": doc["_id"], "value": doc.get("status"), "t": now}), flush=True)


async def tick_to_visible(
    solo: str, peer: str, pouch_url: str | None, folder: Path, ticks: int
) -> dict[str, list[float]]:
    """Ticks in blocks, the sides taking turns: both phones on one server process; the phones on
    two processes of one database (a push can only reach the other through the database); and
    pouchdb-server."""
    sides: dict[str, OurPhones | PouchPhones] = {
        "ours, one process": OurPhones(solo, solo, folder / "solo"),
        "ours, across processes": OurPhones(solo, peer, folder / "peer"),
    }
    if pouch_url:
        sides["pouchdb, replication"] = PouchPhones(pouch_url, "replication")
        sides["pouchdb, PUT + docs"] = PouchPhones(pouch_url, "docs")
    for side in sides.values():
        await side.start()
    results: dict[str, list[float]] = {name: [] for name in sides}
    rng = random.Random(7)
    names = list(sides)
    for block in range(math.ceil(ticks / BLOCK)):
        for name in names[block % len(names) :] + names[: block % len(names)]:
            for i in range(block * BLOCK, min(ticks, (block + 1) * BLOCK)):
                results[name].append(await sides[name].tick(i))
                await asyncio.sleep(rng.uniform(0.35, 0.45))  # a quiet moment between taps
    for side in sides.values():
        await side.stop()
    return results


# --- (b) fan-out --------------------------------------------------------------------------------


async def read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    status = int((await reader.readline()).split()[1])
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


async def read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "content-length" in headers:
        return await reader.readexactly(int(headers["content-length"]))
    body = b""
    while size := int((await reader.readline()).strip() or b"0", 16):
        body += await reader.readexactly(size)
        await reader.readline()
    await reader.readline()
    return body


class Listener:
    """One open phone, on a bare asyncio connection (so the load generator stays light)."""

    def __init__(self) -> None:
        self.seq = -1
        self.waiter: tuple[int, asyncio.Future[float]] | None = None
        self.first = asyncio.Event()

    def _seen(self, seq: int) -> None:
        self.seq = seq
        self.first.set()
        if self.waiter and seq > self.waiter[0] and not self.waiter[1].done():
            self.waiter[1].set_result(time.perf_counter())

    def expect_above(self, seq: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiter = (seq, future)
        return future


class OurListener(Listener):
    async def open(self, host: str, port: int, token: str) -> None:
        self.reader, self.writer = await asyncio.open_connection(host, port)
        self.writer.write(
            f"GET /v1/sync/live HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        status, _ = await read_head(self.reader)
        assert status == 200, status
        self.task = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        while line := await self.reader.readline():  # chunk-size lines and blank lines are skipped
            if line.startswith(b"data:"):
                self._seen(json.loads(line[5:])["seq"])

    async def close(self) -> None:
        self.task.cancel()
        self.writer.close()


class PouchListener(Listener):
    async def open(self, host: str, port: int, db: str) -> None:
        self.host, self.port, self.db = host, port, db
        self.reader, self.writer = await asyncio.open_connection(host, port)
        self.task = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        path = f"/{self.db}/_changes?since=0"  # where the database is now, then wait for changes
        while True:
            self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode())
            status, headers = await read_head(self.reader)
            body = json.loads(await read_body(self.reader, headers))
            since = body["last_seq"]
            self._seen(int(str(since).split("-")[0]))
            path = f"/{self.db}/_changes?feed=longpoll&timeout=600000&since={since}"

    async def close(self) -> None:
        self.task.cancel()
        self.writer.close()


def make_households(url: str, n: int) -> list[tuple[str, str, HybridClock]]:
    """n households of two phones: (token A, token B, A's clock)."""

    def one(_: int) -> tuple[str, str, HybridClock]:
        with httpx.Client(base_url=url, timeout=60) as http:
            a = http.post("/v1/devices").json()
            b = http.post("/v1/devices").json()
            auth_a, auth_b = ({"Authorization": f"Bearer {d['token']}"} for d in (a, b))
            http.post("/v1/households", json={}, headers=auth_a).raise_for_status()
            code = http.post("/v1/invites", headers=auth_a).json()["code"]
            http.post("/v1/invites/redeem", json={"code": code}, headers=auth_b).raise_for_status()
            return a["token"], b["token"], HybridClock(a["device_id"][:8])

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(n)))


async def gather_in_batches(coros: list, size: int = 100) -> None:
    for start in range(0, len(coros), size):
        await asyncio.gather(*coros[start : start + size])


async def poke_latencies(
    listeners: list[Listener], send, pokes: int, rng: random.Random, households: int
) -> list[float]:
    """Pokes one at a time to random households; the time until the other phone's connection
    (listener 2h+1; phone 2h pushes) has it."""
    out = []
    for _ in range(pokes):
        h = rng.randrange(households)
        other = listeners[2 * h + 1]
        arrived = other.expect_above(other.seq)
        t0 = time.perf_counter()
        await send(h)
        out.append(await asyncio.wait_for(arrived, 30) - t0)
        await asyncio.sleep(rng.uniform(0.005, 0.015))
    return out


async def fanout_ours(url: str, pids: list[int], households: int, pokes: int) -> dict[str, float | list]:
    host, port = url.removeprefix("http://").split(":")
    homes = await asyncio.to_thread(make_households, url, households)
    counters = [0] * households

    async def send(h: int) -> None:
        counters[h] += 1
        token, _, clock = homes[h]
        op = {"counter": counters[h], "entity": "step_state", "row_key": f"step{counters[h] % STEPS}"}
        op |= {"field": "status", "value": "done", "stamp": clock.now().encode()}
        answer = await http.post(
            "/v1/sync/push", json={"protocol": 1, "ops": [op]}, headers={"Authorization": f"Bearer {token}"}
        )
        answer.raise_for_status()

    rng = random.Random(11)
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        few = [OurListener() for _ in range(2)]
        for listener, token in zip(few, homes[0][:2], strict=True):
            await listener.open(host, int(port), token)
        await asyncio.gather(*(listener.first.wait() for listener in few))
        alone = await poke_latencies(few, send, pokes, rng, 1)
        for listener in few:
            await listener.close()
        await asyncio.sleep(1)
        before = rss_bytes(pids)
        many = [OurListener() for _ in range(2 * households)]
        tokens = [token for a, b, _ in homes for token in (a, b)]
        await gather_in_batches([lst.open(host, int(port), t) for lst, t in zip(many, tokens, strict=True)])
        await asyncio.gather(*(listener.first.wait() for listener in many))
        await asyncio.sleep(2)
        after = rss_bytes(pids)
        crowded = await poke_latencies(many, send, pokes, rng, households)
        for listener in many:
            await listener.close()
    return {"per_conn": (after - before) / len(many), "before": before, "alone": alone, "crowded": crowded}


async def fanout_pouch(url: str, pid: int, households: int, pokes: int) -> dict[str, float | list]:
    host, port = url.removeprefix("http://").split(":")
    tag = random.randrange(10**9)
    dbs = [f"fan{tag}h{h}" for h in range(households)]
    counters = [0] * households
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=httpx.Limits(max_connections=8)) as http:
        await gather_in_batches([http.put(f"/{db}") for db in dbs], size=8)

        async def send(h: int) -> None:
            counters[h] += 1
            (await http.put(f"/{dbs[h]}/doc{counters[h]}", json={"status": "done"})).raise_for_status()

        rng = random.Random(11)
        few = [PouchListener() for _ in range(2)]
        for listener in few:
            await listener.open(host, int(port), dbs[0])
        await asyncio.gather(*(listener.first.wait() for listener in few))
        alone = await poke_latencies(few, send, pokes, rng, 1)
        for listener in few:
            await listener.close()
        await asyncio.sleep(1)
        before = rss_bytes([pid])
        many = [PouchListener() for _ in range(2 * households)]
        await gather_in_batches([lst.open(host, int(port), dbs[i // 2]) for i, lst in enumerate(many)])
        await asyncio.gather(*(listener.first.wait() for listener in many))
        await asyncio.sleep(2)
        after = rss_bytes([pid])
        crowded = await poke_latencies(many, send, pokes, rng, households)
        for listener in many:
            await listener.close()
        await gather_in_batches([http.delete(f"/{db}") for db in dbs], size=8)
    return {"per_conn": (after - before) / len(many), "before": before, "alone": alone, "crowded": crowded}


# --- main ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def databases(postgres: bool, folder: Path, count: int) -> Iterator[list[str]]:
    with contextlib.ExitStack() as stack:
        if postgres:
            yield [stack.enter_context(throwaway_postgres()) for _ in range(count)]
        else:
            yield [f"sqlite:///{folder / f'server{i}.db'}" for i in range(count)]


async def run(args: argparse.Namespace, folder: Path) -> None:
    workers = [int(w) for w in args.workers.split(",")]
    pouch = POUCH_BIN.exists()
    db_name = "PostgreSQL" if args.postgres else "SQLite (synchronous=FULL)"
    print(
        f"this server on {db_name}, workers {args.workers}; pouchdb-server on LevelDB"
        + ("" if pouch else " (not installed: baseline skipped; npm ci --prefix bench/peer)")
    )
    with contextlib.ExitStack() as stack:
        dbs = stack.enter_context(databases(args.postgres, folder, len(workers) + 1))
        solo, _ = stack.enter_context(our_server(dbs[0], 1))
        peer, _ = stack.enter_context(our_server(dbs[0], 1))  # a second process on the same database
        urls: dict[int, str] = {}
        procs: dict[int, subprocess.Popen] = {}
        for w, db in zip(workers, dbs[1:], strict=True):
            urls[w], procs[w] = stack.enter_context(our_server(db, w))
        pouch_url = stack.enter_context(pouchdb_server(folder)) if pouch else None
        pouch_pid = None
        if pouch_url:
            pouch_pid = next(
                p for p in children(os.getpid()) if "node" in Path(f"/proc/{p}/cmdline").read_text()
            )

        print(f"\n(a) tick to visible on the other phone, {args.ticks} ticks one at a time, ms")
        ticks = await tick_to_visible(solo, peer, pouch_url, folder, args.ticks)
        print(f"{'':28}{'p50':>8}{'p95':>8}{'max':>8}")
        for name, values in ticks.items():
            print(f"{name:28}{ms(values, 50)}{ms(values, 95)}{ms(values, 100)}")
        for name, values in ticks.items():
            if name.startswith("ours"):
                p95 = pct(values, 95)
                met = "met" if p95 <= 1 else "NOT met"
                line = f"{name}: p95 {p95 * 1000:.1f} ms (target <= 1000 ms: {met})"
                if pouch_url:
                    ratio = p95 / pct(ticks["pouchdb, replication"], 95)
                    line += f"; p95 / pouchdb replication's {ratio:.2f} (target <= 1: "
                    line += f"{'met' if ratio <= 1 else 'NOT met'}), / PUT + docs "
                    line += f"{p95 / pct(ticks['pouchdb, PUT + docs'], 95):.2f}"
                print(line)

        n = 2 * args.households
        print(f"\n(b) fan-out: {n} open connections across {args.households} households, {args.pokes} pokes")
        print(f"{'':28}{'KiB/conn':>9}{'RSS MiB':>9}{'p50 ms':>8}{'p95 ms':>8}{'alone p95':>10}{'ratio':>7}")
        rows = []
        for w in workers:
            result = await fanout_ours(urls[w], worker_pids(procs[w], w), args.households, args.pokes)
            rows.append((f"ours, {w} worker{'s' if w > 1 else ''}", result))
        if pouch_url:
            rows.append(
                ("pouchdb-server", await fanout_pouch(pouch_url, pouch_pid, args.households, args.pokes))
            )
        for name, r in rows:
            crowded, alone = r["crowded"], r["alone"]
            print(
                f"{name:28}{r['per_conn'] / 1024:9.1f}{r['before'] / 2**20:9.0f}{ms(crowded, 50)}"
                f"{ms(crowded, 95)}{ms(alone, 95):>10}{pct(crowded, 95) / pct(alone, 95):7.2f}"
            )
        print(
            "KiB/conn: server RSS growth per open connection (all workers); RSS MiB: before opening them; "
            "ratio: p95 with all open / p95 with one household open"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=200)
    parser.add_argument("--households", type=int, default=500)
    parser.add_argument("--pokes", type=int, default=300)
    parser.add_argument("--workers", default="1,2", help="uvicorn worker counts for the fan-out, e.g. 1,2")
    parser.add_argument("--postgres", action="store_true", help="this server on PostgreSQL instead of SQLite")
    parser.add_argument("--smoke", action="store_true", help="a tiny run for the test suite")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)  # phone B, started by the driver
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        asyncio.run(child_ours(*rest) if kind == "ours" else child_pouch(*rest))
        return
    if args.smoke:
        args.ticks, args.households, args.pokes = 4, 10, 10
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))  # and for the servers
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    main()
