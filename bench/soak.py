"""Soak: many phones' mixed traffic against 2 uvicorn workers on PostgreSQL, restarted once.

30 minutes by default, PostgreSQL restarted once in the middle. Targets: no edit lost or applied
twice, every phone recovers by itself, worker RSS growth < 10 % after warm-up.

The phones are the app's own code, one each: a local store (`open_store`, SQLite), the sync
client (`SyncClient`, built as `app/state/runtime.py` builds it: 3 attempts, 10 s timeout) and
the sync scheduler (`SyncScheduler`, the app's defaults: an edit syncs at once, a burst 0.3 s
after its last edit, a timer, 5 s · 2ⁿ backoff after failures) with its live listener. The
harness only plays the users: it edits steps (status, note, assignee, sometimes delete/undo)
through the store as the app's views do and tells the scheduler (`local_edit`), now and then
reads the household (`GET /v1/household`) or sends the app to the background for a while. It
never syncs for a phone: after the restart each phone has to come back through its own retries,
backoff and live connection. The users' pace is adjusted every 5 s so that all requests together
(push, pull, live connects, household reads, token rotations) come near `--rate` per second.

Tokens: every few seconds the harness makes one random device's token 60 days old in the
database (a time jump), so that its next sync answer asks for a rotation and the client rotates.

Checks (the server keeps only current values, so the harness adds, in the throwaway database
only, a trigger that copies every write applied to `field_values` into `soak_audit`; each phone's
store gets a TEMP trigger (its own connection, nothing in the file) that logs every outbox row;
the harness's HTTP transport logs which ops each push answered 200 carried):
- every edit made was acknowledged (outbox empty, in a push answered 200), and either applied
  exactly once (its stamp in the audit) or superseded: a newer stamp for that field was in the
  same push, or already applied before that push was answered; anything else is lost;
- no op applied twice (an edit's device + counter maps to at most one applied write), no applied
  write that no phone made, no sequence number given twice in a household;
- each device's counter on the server equals its phone's last counter;
- every phone equals the server, field by field (value and stamp), and the server equals the
  last-writer-wins winner of all edits made in the household;
- after the restart every phone completes a sync by itself; at the end all phones converge by
  themselves; no phone loses its token; neither worker process is replaced;
- RSS of each worker: growth from the end of warm-up (the first sixth of the run) to the end
  < 10 % (judged for runs of 10 minutes or more).

PostgreSQL: `--database-url` names the server (an admin database there); a fresh database is
created for the run and dropped afterwards (`--keep-db` keeps it). The restart, with
`pg_ctlcluster --skip-systemctl-redirect <version> <cluster>` of the cluster listening on that
port (root or the cluster's owner): `stop` (fast mode), `--down-seconds` (20) down, `start`; with
`--down-seconds 0` one `restart` (fast), or `--restart-cmd`. It restarts the whole cluster: give
it one that nobody else is using. `--smoke` (the test suite) does not restart the shared server:
it refuses new connections to the run's database (ALLOW_CONNECTIONS false) and terminates its
open ones for 3 s, which is what the server's pool and LISTEN connection see of a restart.

Run from the project root:
    .venv/bin/python bench/soak.py [--minutes 30] [--rate 200] [--households 60] [--down-seconds 20]
                                   [--database-url postgresql://postgres@127.0.0.1:5432/test]
    .venv/bin/python bench/soak.py --smoke
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import math
import os
import pwd
import random
import re
import secrets
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import cpu_seconds  # noqa: E402
from realtime import children, our_server, rss_bytes  # noqa: E402

from services.live_client import LiveListener  # noqa: E402
from services.store import LocalStore, open_store  # noqa: E402
from services.sync_client import StoreTokenStore, SyncClient, SyncError  # noqa: E402
from services.sync_scheduler import OFFLINE, PROBLEM, UP_TO_DATE, WAITING, SyncScheduler, SyncStatus  # noqa: E402
from services.timeline import STATUSES  # noqa: E402
from services.wire import ENTITIES  # noqa: E402

PG_ADMIN = os.environ.get("NYIN_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
PUSH, PULL = "/v1/sync/push", "/v1/sync/pull"
STEPS = 20  # steps per household the users edit
CONTROL_S = 5.0  # the users' pace is adjusted this often
SAMPLE_S = 5.0  # RSS and state samples
REQUESTS_PER_SESSION = 3.5  # first guess: push + pull + the other phones' pulls after the poke
QUIET_WEIGHT = 0.15  # the third phone of a household mostly watches
BURST_P = 0.3  # an edit session is a burst of 2-4 edits (one debounced push)
HOUSEHOLD_READ_P = 0.05  # a session also opens the family tab (GET /v1/household)
BACKGROUND_P = 0.01  # a session ends with the app going to the background for 5-30 s
RSS_TARGET = 0.10
RSS_JUDGED_FROM_MIN = 10.0


# --- PostgreSQL ---------------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_database(admin_url: str, keep: bool = False) -> Iterator[str]:
    """A new database on the server of `admin_url`, dropped afterwards unless `keep`."""
    name = f"nyin_soak_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        if not keep:
            with psycopg.connect(admin_url, autocommit=True, connect_timeout=30) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


AUDIT_SQL = """
CREATE TABLE soak_audit (
    id bigserial PRIMARY KEY, household_id text, entity text, row_key text, field text,
    value text, stamp text, seq bigint, device_id text, op text, at timestamptz DEFAULT clock_timestamp()
);
CREATE FUNCTION soak_audit_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO soak_audit (household_id, entity, row_key, field, value, stamp, seq, device_id, op)
    VALUES (NEW.household_id, NEW.entity, NEW.row_key, NEW.field, NEW.value, NEW.stamp, NEW.seq,
            NEW.device_id, TG_OP);
    RETURN NULL;
END $$;
CREATE TRIGGER soak_audit AFTER INSERT OR UPDATE ON field_values
    FOR EACH ROW EXECUTE FUNCTION soak_audit_write();
"""


def install_audit(db_url: str) -> None:
    """Copy every write applied to field_values into soak_audit (this run's database only): the
    server keeps current values, the audit keeps each applied write once."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(AUDIT_SQL)


Step = list[str] | float  # a command to run, or seconds to wait


def restart_steps(admin_url: str, override: str | None, down_s: float) -> list[Step]:
    """How to restart the PostgreSQL cluster behind `admin_url` (checked before the run starts):
    `pg_ctlcluster … restart` (fast), or with `down_s` stop (fast), wait, start."""
    if override:
        if down_s:
            raise SystemExit("--restart-cmd is one restart: use it with --down-seconds 0")
        return [shlex.split(override)]
    parts = urlsplit(admin_url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1", None):
        raise SystemExit(f"PostgreSQL at {parts.hostname} is not local: pass --restart-cmd")
    port = str(parts.port or 5432)
    try:
        listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SystemExit(f"pg_lsclusters failed ({exc}): pass --restart-cmd") from exc
    for line in listing.stdout.splitlines():
        version, cluster, cluster_port, _status, owner, *_ = line.split()
        if cluster_port == port:
            if os.geteuid() != 0 and pwd.getpwuid(os.geteuid()).pw_name != owner:
                raise SystemExit(
                    f"restarting cluster {version}/{cluster} needs root or {owner}: pass --restart-cmd"
                )
            command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster]
            if not down_s:
                return [[*command, "restart", "-m", "fast"]]
            return [[*command, "stop", "-m", "fast"], down_s, [*command, "start"]]
    raise SystemExit(f"no PostgreSQL cluster on port {port} in pg_lsclusters: pass --restart-cmd")


def database_answers(db_url: str) -> bool:
    try:
        with psycopg.connect(db_url, connect_timeout=1) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


# --- the server ---------------------------------------------------------------------------------


@contextlib.contextmanager
def api_server(
    db_url: str, workers: int, rate_limit: int, log_path: Path
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`uvicorn --factory server.app:create_app --workers N` on a free port, its output in a log file.
    The per-device sync rate limit is set to `rate_limit` a minute (counted, as in production, but
    above what these phones do); the registration flood limits are off (every phone is 127.0.0.1)."""
    env = {"NYIN_SYNC_RATE_PER_MIN": str(rate_limit), "NYIN_ABUSE_LIMITS": "off"}
    with our_server(db_url, workers, env=env, log_path=log_path) as running:
        yield running


def server_workers(proc: subprocess.Popen, workers: int) -> list[int]:
    """The worker processes (the supervisor's children that are uvicorn workers, not the
    multiprocessing resource tracker): the largest ones."""
    return sorted(children(proc.pid), key=lambda p: rss_bytes([p]))[-workers:]


# --- measuring the phones' requests -------------------------------------------------------------


class Meter:
    """Every request the phones make during the load: counts per second by path and outcome,
    latency of successful push and pull, and the failed ones with their time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.t0 = time.monotonic()
        self.recording = False
        self.bins: dict[int, Counter[str]] = defaultdict(Counter)
        self.latency: dict[str, tuple[array, array]] = {
            PUSH: (array("d"), array("d")),
            PULL: (array("d"), array("d")),
        }
        self.failures: list[tuple[float, str]] = []
        self.error_bodies: dict[str, str] = {}  # per path, the first 5xx answer as the phone saw it

    def record(self, path: str, outcome: str, start: float, end: float) -> None:
        if not self.recording:
            return
        with self.lock:
            self.bins[int(start - self.t0)][f"{path} {outcome}"] += 1
            if outcome == "200" and path in self.latency:
                times, seconds = self.latency[path]
                times.append(start)
                seconds.append(end - start)
            elif not outcome.startswith("2"):
                self.failures.append((start, f"{path} {outcome}"))

    def count(self, since: float, until: float, path: str | None = None) -> int:
        """Requests started in [since, until) (monotonic times, whole seconds)."""
        with self.lock:
            first, last = int(since - self.t0), int(until - self.t0)
            return sum(
                n
                for second in range(first, last)
                for key, n in self.bins.get(second, Counter()).items()
                if path is None or key.startswith(path + " ")
            )

    def failed(self, since: float, until: float) -> int:
        with self.lock:
            return sum(1 for t, _ in self.failures if since <= t < until)


@dataclass
class Push:
    """One push the server answered 200: when (wall clock, to compare with the audit) and its ops
    as (counter, entity, row_key, field, stamp)."""

    at: float
    ops: list[tuple[int, str, str, str, str]]


class CountingTransport(httpx.HTTPTransport):
    """The phone's HTTP transport, counting each request; it also keeps which ops each push
    answered 200 carried (the body as the client sent it)."""

    def __init__(self, meter: Meter, pushes: list[Push]) -> None:
        super().__init__()
        self.meter, self.pushes = meter, pushes

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        start = time.monotonic()
        try:
            response = super().handle_request(request)
        except httpx.TransportError as exc:
            self.meter.record(request.url.path, type(exc).__name__, start, time.monotonic())
            raise
        self.meter.record(request.url.path, str(response.status_code), start, time.monotonic())
        if (
            response.status_code >= 500
            and self.meter.recording
            and request.url.path not in self.meter.error_bodies
        ):
            response.read()
            kind = response.headers.get("content-type", "?")
            server_time = "with" if "x-server-time" in response.headers else "without"
            self.meter.error_bodies[request.url.path] = (
                f"{response.status_code} {kind} {server_time} X-Server-Time: {response.text[:80]!r}"
            )
        if request.url.path == PUSH and response.status_code == 200:
            body = request.content
            if request.headers.get("content-encoding") == "gzip":
                body = gzip.decompress(body)
            ops = [
                (o["counter"], o["entity"], o["row_key"], o["field"], o["stamp"])
                for o in json.loads(body)["ops"]
            ]
            self.pushes.append(Push(time.time(), ops))
        return response


class CountingAsyncTransport(httpx.AsyncHTTPTransport):
    """The live listener's transport, counting each connection attempt."""

    def __init__(self, meter: Meter) -> None:
        super().__init__()
        self.meter = meter

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        start = time.monotonic()
        try:
            response = await super().handle_async_request(request)
        except httpx.TransportError as exc:
            self.meter.record(request.url.path, type(exc).__name__, start, time.monotonic())
            raise
        self.meter.record(request.url.path, str(response.status_code), start, time.monotonic())
        return response


# --- the phones ---------------------------------------------------------------------------------

EDIT_LOG_SQL = (
    "PRAGMA temp_store = MEMORY",
    "CREATE TEMP TABLE soak_edits (counter INTEGER, entity TEXT, row_key TEXT, field TEXT, value TEXT,"
    " stamp TEXT, kind TEXT)",
    "CREATE TEMP TRIGGER soak_edit_new AFTER INSERT ON main.outbox BEGIN INSERT INTO soak_edits VALUES"
    " (NEW.counter, NEW.entity, NEW.row_key, NEW.field, NEW.value, NEW.stamp, 'new'); END",
    "CREATE TEMP TRIGGER soak_edit_restamp AFTER UPDATE OF stamp ON main.outbox BEGIN INSERT INTO soak_edits"
    " VALUES (NEW.counter, NEW.entity, NEW.row_key, NEW.field, NEW.value, NEW.stamp, 'restamp'); END",
)


@dataclass
class Phone:
    """One simulated phone: the app's store, sync client and scheduler, and what happened to it."""

    index: int
    household: int
    weight: float
    store: LocalStore
    client: SyncClient
    pushes: list[Push]
    scheduler: SyncScheduler | None = None
    household_id: str = ""
    edits: int = 0
    synced_at: list[float] = field(default_factory=list)  # monotonic times of completed syncs
    failed: list[tuple[float, str]] = field(default_factory=list)  # failed syncs: time, code
    last_synced: float | None = None
    live_up: bool = False
    read_errors: Counter[str] = field(default_factory=Counter)
    background: list[tuple[float, float]] = field(default_factory=list)  # spells: (from, to)

    def foreground_from(self, t: float) -> float:
        """`t`, or when the app came back to the foreground if it was in the background at `t`."""
        return next((end for start, end in self.background if start <= t < end), t)

    def on_status(self, status: SyncStatus) -> None:
        """The scheduler's report: a completed sync carries a new `last_synced`."""
        if status.state in (UP_TO_DATE, WAITING) and status.last_synced != self.last_synced:
            self.last_synced = status.last_synced
            self.synced_at.append(time.monotonic())
        elif status.state in (OFFLINE, PROBLEM):
            self.failed.append((time.monotonic(), status.problem or status.state))

    def edit(self, rng: random.Random) -> None:
        """What a user does on a step, through the store as the app's views do; unique values
        where the field allows (the stamp identifies every edit in any case)."""
        self.edits += 1
        key, unique = f"step{rng.randrange(STEPS):02d}", f"p{self.index}e{self.edits}"
        pick = rng.random()
        if pick < 0.4:
            self.store.set_step_status(key, rng.choice(STATUSES))
        elif pick < 0.7:
            self.store.set_step_note(key, f"Note {unique}")
        elif pick < 0.95:
            self.store.assign_step(key, f"{self.store.get_meta('member_id')}:{unique}")
        else:
            self.store.set_step_deleted(key, rng.random() < 0.5)
        assert self.scheduler is not None
        self.scheduler.local_edit()

    def read_household(self) -> None:
        """The family tab (in a worker thread, as the app does)."""
        try:
            self.client.describe_household()
        except SyncError as exc:
            self.read_errors[exc.code] += 1


def new_phone(index: int, household: int, weight: float, folder: Path, url: str, meter: Meter) -> Phone:
    """A phone as the app makes it (app/state/runtime.py), with the counting transport."""
    store = open_store(folder)
    for sql in EDIT_LOG_SQL:
        store.conn.execute(sql)
    pushes: list[Push] = []
    http = httpx.Client(
        base_url=url, timeout=httpx.Timeout(10.0, connect=5.0), transport=CountingTransport(meter, pushes)
    )
    client = SyncClient(store, http, StoreTokenStore(store), max_attempts=3)
    return Phone(index, household, weight, store, client, pushes)


def make_households(url: str, count: int, folder: Path, meter: Meter) -> list[Phone]:
    """`count` households of 2 or 3 phones (alternately): the first creates the household and
    invites the others, who join with the code; all through the app's sync client."""

    def one(h: int) -> list[Phone]:
        size = 2 + h % 2
        base = sum(2 + i % 2 for i in range(h))
        phones = [
            new_phone(base + i, h, QUIET_WEIGHT if i == 2 else 1.0, folder / f"phone{base + i}", url, meter)
            for i in range(size)
        ]
        owner = phones[0]
        joined = owner.client.create_household(f"Family {h}")
        owner.household_id = joined["household_id"]
        owner.store.set_meta("member_id", joined["member_id"])
        for phone in phones[1:]:
            code = owner.client.create_invite()["code"]
            answer = phone.client.join(code, f"Phone {phone.index}")
            phone.household_id = answer["household_id"]
            phone.store.set_meta("member_id", answer["member_id"])
        return phones

    with ThreadPoolExecutor(8) as pool:
        return [p for phones in pool.map(one, range(count)) for p in phones]


# --- the run --------------------------------------------------------------------------------------


@dataclass
class Plan:
    minutes: float
    rate: float
    households: int
    outage: str  # restart | terminate | none
    outage_at_s: float
    down_s: float = 0.0  # restart: stop, wait this long, start (0: pg_ctlcluster restart)
    token_age_every_s: float = 10.0
    quiesce_max_s: float = 420.0


@dataclass
class Outage:
    started: float = 0.0  # monotonic: the restart (or refusal) began
    command_s: float = 0.0
    command_rc: int | None = None
    command_out: str = ""
    refused_from: float | None = None  # the probe's first refused connection
    back_at: float | None = None  # the probe's first accepted connection after that


@dataclass
class Sample:
    t: float
    rss: dict[int, int]
    live_up: int
    pending: int
    pace: float


@dataclass
class RunResult:
    load_start: float
    load_end: float
    cpu: dict[str, float]
    samples: list[Sample]
    outage: Outage
    worker_pids: list[int]
    workers_gone: set[int]  # worker processes that went away during the run
    token_agings: int
    load_average: list[float]  # 1-minute load average at the start and the end of the load
    converged_after_s: float | None
    not_converged: list[int]
    paces: list[float]


class Pace:
    """Edit sessions per second per phone (× its weight), steered towards the target rate."""

    def __init__(self, rate: float, weights: float) -> None:
        self.target = rate
        self.initial = self.value = rate / (weights * REQUESTS_PER_SESSION)

    def adjust(self, achieved: float, failures: int) -> None:
        if failures or achieved <= 0:  # an outage: hold, or the phones would flood afterwards
            return
        factor = min(1.5, max(0.67, self.target / achieved)) ** 0.7
        self.value = min(self.initial * 4, max(self.initial / 20, self.value * factor))


async def user(phone: Phone, pace: Pace, stop: asyncio.Event, rng: random.Random) -> None:
    """One phone's user: edit sessions at random moments, now and then the family tab or a spell
    in the background."""
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), rng.expovariate(pace.value * phone.weight))
        if stop.is_set():
            return
        assert phone.scheduler is not None
        for i in range(1 if rng.random() > BURST_P else rng.randint(2, 4)):
            if i:
                await asyncio.sleep(rng.uniform(0.05, 0.2))
            phone.edit(rng)
        if rng.random() < HOUSEHOLD_READ_P:
            asyncio.get_running_loop().run_in_executor(None, phone.read_household)
        if rng.random() < BACKGROUND_P:
            phone.scheduler.pause()
            since = time.monotonic()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), rng.uniform(5, 30))
            phone.scheduler.resume()
            phone.background.append((since, time.monotonic()))


def live_factory(phone: Phone, meter: Meter) -> Callable[..., LiveListener]:
    """The app's live listener (`listener_for`), with the counting transport and a note of its state."""

    def make(
        client: SyncClient, on_seq: Callable[[int], None], on_state: Callable[[bool], None]
    ) -> LiveListener:
        def state(up: bool) -> None:
            phone.live_up = up
            on_state(up)

        transport = CountingAsyncTransport(meter)
        return LiveListener(str(client.http.base_url), client.tokens.load, on_seq, state, transport=transport)

    return make


async def make_outage(plan: Plan, admin_url: str, db_url: str, restart: list[Step], outage: Outage) -> None:
    """Restart PostgreSQL (or, for the smoke run, refuse and cut this database's connections) and
    probe every 0.1 s until it accepts connections again."""
    probing = threading.Event()

    def probe() -> None:
        while time.monotonic() - outage.started < 300:
            t = time.monotonic()
            up = database_answers(db_url)
            if not up and outage.refused_from is None:
                outage.refused_from = t
            if up and outage.refused_from is not None:
                outage.back_at = t
                return
            if up and not probing.is_set():  # done, and the probe never saw it refuse
                return
            time.sleep(0.1)

    name = db_url.rsplit("/", 1)[1]
    outage.started = time.monotonic()
    probing.set()
    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    if plan.outage == "restart":
        outage.command_rc = 0
        for step in restart:
            if isinstance(step, float | int):
                await asyncio.sleep(step)
                continue
            done = await asyncio.to_thread(subprocess.run, step, capture_output=True, text=True)
            outage.command_rc = outage.command_rc or done.returncode
            outage.command_out += (done.stdout + done.stderr).strip()
    else:

        def cut(allow: bool) -> None:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {str(allow).lower()}')
                if not allow:
                    admin.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
                    )

        await asyncio.to_thread(cut, False)
        await asyncio.sleep(plan.down_s)
        await asyncio.to_thread(cut, True)
        outage.command_rc = 0
    outage.command_s = time.monotonic() - outage.started
    probing.clear()
    await asyncio.to_thread(prober.join, 60)


async def age_tokens(db_url: str, phones: list[Phone], every_s: float, stop: asyncio.Event) -> int:
    """Every `every_s`, make one random device's token 60 days old: its next sync answer asks for a
    rotation. Skipped while the database is away."""
    rng, aged, conn = random.Random(3), 0, None
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)
        if stop.is_set():
            break
        device = rng.choice(phones).store.get_meta("server_device_id")
        try:
            if conn is None:
                conn = await psycopg.AsyncConnection.connect(db_url, autocommit=True, connect_timeout=2)
            await conn.execute(
                "UPDATE devices SET token_issued_at = now() - interval '60 days' WHERE id = %s", (device,)
            )
            aged += 1
        except psycopg.Error:
            if conn is not None:
                with contextlib.suppress(psycopg.Error):
                    await conn.close()
            conn = None
    if conn is not None:
        await conn.close()
    return aged


def household_heads(db_url: str) -> dict[str, int]:
    """Each household's highest sequence number that a pull can return (gaps at the top are
    numbers of writes that lost)."""
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT household_id, max(seq) FROM field_values GROUP BY household_id")
        return dict(rows.fetchall())


def caught_up(phones: list[Phone], heads: dict[str, int]) -> list[int]:
    """Phones still sending or behind their household's head."""
    return [
        p.index
        for p in phones
        if p.store.pending_count() or p.store.sync_cursor() < heads.get(p.household_id, 0)
    ]


async def run_load(
    plan: Plan,
    phones: list[Phone],
    meter: Meter,
    admin_url: str,
    db_url: str,
    restart: list[Step],
    proc: subprocess.Popen,
) -> RunResult:
    loop = asyncio.get_running_loop()
    # One thread per phone's sync and per family-tab read, as each phone has its own.
    loop.set_default_executor(ThreadPoolExecutor(2 * len(phones) + 16, thread_name_prefix="phone"))
    pace = Pace(plan.rate, sum(p.weight for p in phones))
    for phone in phones:
        phone.scheduler = SyncScheduler(
            lambda p=phone: p.client,
            phone.store.pending_count,
            phone.on_status,
            live=live_factory(phone, meter),
        )
    workers = server_workers(proc, 2)
    workers_gone: set[int] = set()
    meter.recording = True
    meter.t0 = time.monotonic()
    cpu_last, cpu_used = cpu_seconds(), Counter[str]()
    load_average = [os.getloadavg()[0]]
    load_start = time.monotonic()
    for phone in phones:
        assert phone.scheduler is not None
        phone.scheduler.start()
    stop = asyncio.Event()
    rng = random.Random(2026)
    users = [loop.create_task(user(p, pace, stop, random.Random(rng.random()))) for p in phones]
    aging = loop.create_task(age_tokens(db_url, phones, plan.token_age_every_s, stop))
    outage = Outage()
    outage_task: asyncio.Task[None] | None = None
    samples: list[Sample] = []
    paces: list[float] = []
    load_end = load_start + plan.minutes * 60
    next_control = next_sample = load_start
    while (now := time.monotonic()) < load_end:
        if plan.outage != "none" and outage_task is None and now - load_start >= plan.outage_at_s:
            outage_task = loop.create_task(make_outage(plan, admin_url, db_url, restart, outage))
        if now >= next_control and now > load_start + CONTROL_S:
            since = now - CONTROL_S
            pace.adjust(meter.count(since, now) / CONTROL_S, meter.failed(since - 15, now))
            paces.append(pace.value)
            next_control = now + CONTROL_S
        if now >= next_sample:
            current = set(children(proc.pid))
            workers_gone |= set(workers) - current
            rss = {pid: rss_bytes([pid]) for pid in workers if pid in current}
            pending = sum(p.store.pending_count() for p in phones)
            # Summed per interval: the restart replaces every PostgreSQL backend, and the CPU time
            # of a process that has gone is no longer in /proc.
            cpu_now = cpu_seconds()
            cpu_used.update({k: max(0.0, cpu_now[k] - cpu_last[k]) for k in cpu_now})
            cpu_last = cpu_now
            samples.append(Sample(now - load_start, rss, sum(p.live_up for p in phones), pending, pace.value))
            next_sample = now + SAMPLE_S
        await asyncio.sleep(0.5)
    stop.set()
    await asyncio.gather(*users)
    cpu_now = cpu_seconds()
    cpu_used.update({k: max(0.0, cpu_now[k] - cpu_last[k]) for k in cpu_now})
    elapsed = time.monotonic() - load_start
    cpu = {k: cpu_used[k] / elapsed for k in cpu_now}
    load_average.append(os.getloadavg()[0])
    meter.recording = False
    token_agings = await aging
    if outage_task is not None:
        await outage_task
    # The users have stopped: the phones must finish by themselves (pokes, timers, backoff).
    quiet_start, converged_after, behind = time.monotonic(), None, [p.index for p in phones]
    while time.monotonic() - quiet_start < plan.quiesce_max_s:
        heads = await asyncio.to_thread(household_heads, db_url)
        behind = await asyncio.to_thread(caught_up, phones, heads)
        if not behind:
            converged_after = time.monotonic() - quiet_start
            break
        await asyncio.sleep(1)
    for phone in phones:
        assert phone.scheduler is not None
        phone.scheduler.stop()
    if behind:  # for the data checks only; the run has failed its recovery target already
        await asyncio.gather(
            *(asyncio.to_thread(phones[i].client.sync) for i in behind), return_exceptions=True
        )
    await asyncio.sleep(1)  # listeners close
    workers_gone |= set(workers) - set(children(proc.pid))
    return RunResult(
        load_start,
        load_end,
        cpu,
        samples,
        outage,
        workers,
        workers_gone,
        token_agings,
        load_average,
        converged_after,
        behind,
        paces,
    )


# --- checks -------------------------------------------------------------------------------------

FieldKey = tuple[str, str, str]  # entity, row_key, field


@dataclass
class Edit:
    phone: int
    counter: int
    key: FieldKey
    value: Any
    stamp: str


@dataclass
class Verdict:
    edits: int = 0
    applied: int = 0
    superseded_in_push: int = 0
    superseded_stored: int = 0
    lost: list[str] = field(default_factory=list)
    unacknowledged: int = 0
    applied_twice: int = 0
    phantom: int = 0
    stamp_twice: int = 0
    seq_twice: int = 0
    restamped: int = 0
    rejected: int = 0
    counter_mismatch: list[str] = field(default_factory=list)
    fields: int = 0
    phone_differs: list[str] = field(default_factory=list)
    server_not_lww: list[str] = field(default_factory=list)
    token_lost: list[int] = field(default_factory=list)


def phone_edits(phone: Phone) -> tuple[list[Edit], int]:
    """Every write the phone's outbox took (final stamp after any re-stamp), and the re-stamps."""
    rows = phone.store.conn.execute(
        "SELECT counter, entity, row_key, field, value, stamp, kind FROM temp.soak_edits"
    )
    edits: dict[int, Edit] = {}
    restamped = 0
    for counter, entity, row_key, name, value, stamp, kind in rows.fetchall():
        if entity not in ENTITIES or name not in ENTITIES[entity]:
            continue
        restamped += kind == "restamp"
        edits[counter] = Edit(phone.index, counter, (entity, row_key, name), json.loads(value), stamp)
    return list(edits.values()), restamped


def phone_view(store: LocalStore) -> dict[FieldKey, tuple[Any, str]]:
    """What the phone shows of the household: every synced field's value and stamp."""
    view: dict[FieldKey, tuple[Any, str]] = {}
    rows = store.conn.execute("SELECT item_key, status, status_stamp, note, note_stamp FROM step_state")
    for key, status, status_stamp, note, note_stamp in rows.fetchall():
        if status_stamp:
            view["step_state", key, "status"] = (status, status_stamp)
        if note_stamp:
            view["step_state", key, "note"] = (note, note_stamp)
    for entity, row_key, name, value, stamp in store.conn.execute(
        "SELECT entity, row_key, field, value, stamp FROM shared_field"
    ).fetchall():
        view[entity, row_key, name] = (json.loads(value), stamp)
    return view


def verify(phones: list[Phone], db_url: str) -> Verdict:
    """The checks listed in the module docstring, after the run."""
    v = Verdict()
    with psycopg.connect(db_url) as conn:
        audit = conn.execute(
            "SELECT household_id, entity, row_key, field, value, stamp, seq, extract(epoch FROM at)"
            " FROM soak_audit"
        ).fetchall()
        current = conn.execute(
            "SELECT household_id, entity, row_key, field, value, stamp FROM field_values"
        ).fetchall()
        counters = dict(conn.execute("SELECT id, last_counter FROM devices").fetchall())
    by_stamp: dict[tuple[str, FieldKey, str], Edit] = {}
    household_edits: dict[str, list[Edit]] = defaultdict(list)
    phone_household = {p.index: p.household_id for p in phones}
    for phone in phones:
        edits, restamped = phone_edits(phone)
        v.restamped += restamped
        v.edits += len(edits)
        v.unacknowledged += phone.store.pending_count()
        v.rejected += len(phone.store.rejections())
        if phone.client.tokens.load() is None:
            v.token_lost.append(phone.index)
        for edit in edits:
            by_stamp[phone.household_id, edit.key, edit.stamp] = edit
            household_edits[phone.household_id].append(edit)
        device = phone.store.get_meta("server_device_id") or ""
        last = max((e.counter for e in edits), default=0)
        if counters.get(device) != last:
            v.counter_mismatch.append(f"phone {phone.index}: server {counters.get(device)}, phone {last}")
    # Applied writes: each one an edit, no edit twice, no stamp or sequence number twice.
    applied: Counter[tuple[int, int]] = Counter()
    applied_at: dict[tuple[str, FieldKey], list[tuple[str, float]]] = defaultdict(list)
    stamps: Counter[tuple[str, FieldKey, str]] = Counter()
    seqs: Counter[tuple[str, int]] = Counter()
    for household, entity, row_key, name, value, stamp, seq, at in audit:
        key = (entity, row_key, name)
        stamps[household, key, stamp] += 1
        seqs[household, seq] += 1
        applied_at[household, key].append((stamp, float(at)))
        edit = by_stamp.get((household, key, stamp))
        if edit is None or edit.value != json.loads(value):
            v.phantom += 1
            continue
        applied[edit.phone, edit.counter] += 1
    v.applied = len(applied)
    v.applied_twice = sum(1 for n in applied.values() if n > 1)
    v.stamp_twice = sum(1 for n in stamps.values() if n > 1)
    v.seq_twice = sum(1 for n in seqs.values() if n > 1)
    # Edits not applied: acknowledged, and superseded in their push or by a write applied before.
    for phone in phones:
        acked: dict[int, Push] = {}
        for push in phone.pushes:
            for op in push.ops:
                acked.setdefault(op[0], push)
        for edit in household_edits[phone.household_id]:
            if edit.phone != phone.index or (edit.phone, edit.counter) in applied:
                continue
            push = acked.get(edit.counter)
            if push is None:
                v.lost.append(f"phone {phone.index} counter {edit.counter}: never in a push answered 200")
                continue
            if any((op[1], op[2], op[3]) == edit.key and op[4] > edit.stamp for op in push.ops):
                v.superseded_in_push += 1
            elif any(s > edit.stamp and at <= push.at for s, at in applied_at[phone.household_id, edit.key]):
                v.superseded_stored += 1
            else:
                v.lost.append(
                    f"phone {phone.index} counter {edit.counter} {edit.key} {edit.stamp}: not applied"
                )
    # Convergence: phones = server = the last-writer-wins winner of all edits.
    server: dict[str, dict[FieldKey, tuple[Any, str]]] = defaultdict(dict)
    for household, entity, row_key, name, value, stamp in current:
        server[household][entity, row_key, name] = (json.loads(value), stamp)
    for household, edits in household_edits.items():
        winners: dict[FieldKey, Edit] = {}
        for edit in edits:
            if edit.key not in winners or edit.stamp > winners[edit.key].stamp:
                winners[edit.key] = edit
        expected = {k: (e.value, e.stamp) for k, e in winners.items()}
        v.fields += len(expected)
        if server[household] != expected:
            wrong = [
                k
                for k in expected.keys() | server[household].keys()
                if expected.get(k) != server[household].get(k)
            ]
            v.server_not_lww.append(f"household {household[:8]}: {len(wrong)} fields, e.g. {wrong[0]}")
    for phone in phones:
        view = phone_view(phone.store)
        if view != server[phone_household[phone.index]]:
            wrong = [
                k
                for k in view.keys() | server[phone.household_id].keys()
                if view.get(k) != server[phone.household_id].get(k)
            ]
            v.phone_differs.append(f"phone {phone.index}: {len(wrong)} fields, e.g. {wrong[0]}")
    return v


# --- report -------------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return (
        ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered)) - 1))] if ordered else float("nan")
    )


def mib(n: float) -> str:
    return f"{n / 2**20:7.1f}"


def rss_at(samples: list[Sample], pid: int, t: float, span: float = 30.0) -> float:
    """Median RSS of one worker in the samples within `span` seconds after `t` (or the last ones)."""
    values = [s.rss[pid] for s in samples if pid in s.rss and t <= s.t < t + span]
    if not values:
        values = [s.rss[pid] for s in samples if pid in s.rss][-6:]
    return statistics.median(values) if values else float("nan")


def report(plan: Plan, phones: list[Phone], meter: Meter, run: RunResult, v: Verdict, log_path: Path) -> bool:
    """Print the figures; True when every judged target is met."""
    ok = True
    seconds = run.load_end - run.load_start
    total = meter.count(run.load_start, run.load_end + 1)
    rate = total / seconds
    by_path: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    for counts in meter.bins.values():
        for key, n in counts.items():
            path, outcome = key.rsplit(" ", 1)
            by_path[path] += n
            outcomes[outcome if not outcome.startswith("2") else "2xx"] += n
    quiet = [p for p in phones if p.weight < 1]
    print(
        f"soak: {plan.minutes:g} min, {plan.households} households / {len(phones)} phones "
        f"({len(quiet)} mostly watching), each the app's store + SyncClient + SyncScheduler + live listener; "
        "2 uvicorn workers, PostgreSQL (fresh database)"
    )
    print(
        f"\nrequests: {total} in {seconds:.0f} s = {rate:.1f} req/s (target {plan.rate:g}: "
        f"{'met' if rate >= 0.95 * plan.rate else 'NOT met'})"
    )
    print("  " + ", ".join(f"{path} {n}" for path, n in by_path.most_common()))
    print("  outcomes: " + ", ".join(f"{o} {n}" for o, n in outcomes.most_common()))
    outage = run.outage

    def in_outage(t: float) -> bool:
        """From 1 s before the outage began until 60 s after the database was back."""
        back = outage.back_at or outage.started + outage.command_s
        return bool(outage.started) and outage.started - 1 <= t < back + 60

    window = (outage.started - 5, (outage.back_at or outage.started) + 60) if outage.started else (0.0, 0.0)
    for path in (PUSH, PULL):
        times, secs = meter.latency[path]
        steady = [s * 1000 for t, s in zip(times, secs, strict=True) if not window[0] <= t < window[1]]
        print(
            f"  {path} outside the outage (restart −5 s … back +60 s): p50 {pct(steady, 50):.1f} ms, "
            f"p99 {pct(steady, 99):.1f} ms"
        )
    print(
        "  CPU during the load, in cores (2 on this machine): "
        + ", ".join(f"{k} {c:.2f}" for k, c in run.cpu.items())
        + f"; load average {run.load_average[0]:.1f} at the start, {run.load_average[-1]:.1f} at the end"
    )
    print(
        f"  tokens made due for rotation: {run.token_agings}; "
        f"rotations (POST /v1/devices/token): {by_path.get('/v1/devices/token', 0)}"
    )
    stray = Counter(what for t, what in meter.failures if not in_outage(t))
    if stray:
        print(
            f"  failed requests outside the outage: {sum(stray.values())} "
            f"({', '.join(f'{k} {n}' for k, n in stray.most_common(6))}); the client retries them"
        )

    print("\nPostgreSQL outage:")
    if plan.outage == "none":
        print("  none (--outage none)")
    else:
        if plan.outage == "terminate":
            what = (
                f"this database refused and its connections cut for {plan.down_s:g} s "
                "(smoke: the shared server is not restarted)"
            )
        elif plan.down_s:
            what = f"restart: pg_ctlcluster stop (fast), {plan.down_s:g} s down, start"
        else:
            what = "restart: pg_ctlcluster restart (fast)"
        rel = outage.started
        print(
            f"  {what} at +{rel - run.load_start:.0f} s: "
            f"command {outage.command_s:.1f} s, rc {outage.command_rc}"
        )
        if outage.command_rc:
            print(f"  command output: {outage.command_out[-500:]}")
            ok = False
        if outage.refused_from is None or outage.back_at is None:
            print("  the probe never saw the database refuse and come back: outage NOT observed")
            ok = False
        else:
            print(
                f"  database refused connections from +{outage.refused_from - rel:.1f} s to "
                f"+{outage.back_at - rel:.1f} s after it began ({outage.back_at - outage.refused_from:.1f} s)"
            )
        failures = [(t, what) for t, what in meter.failures if in_outage(t)]
        if failures:
            kinds = Counter(what for _, what in failures).most_common(6)
            print(
                f"  failed requests from +{failures[0][0] - rel:.1f} s to +{failures[-1][0] - rel:.1f} s: "
                f"{len(failures)} ({', '.join(f'{k} {n}' for k, n in kinds)})"
            )
            for path, answer in sorted(meter.error_bodies.items()):
                print(f"    {path} answered {answer}")
        most = max((s.pending for s in run.samples), default=0)
        print(f"  edits waiting on the phones (5 s samples): at most {most}")
        failed_phones = [p for p in phones if any(in_outage(t) for t, _ in p.failed)]
        codes = Counter(code for p in phones for t, code in p.failed if in_outage(t))
        print(f"  phones with a failed sync: {len(failed_phones)} of {len(phones)} ({dict(codes)})")
        back = outage.back_at or rel
        # From when the database was back, or the app came back to the foreground after that.
        starts = {p.index: p.foreground_from(back) for p in phones}
        delays = {
            p.index: next((t for t in p.synced_at if t >= starts[p.index]), math.inf) - starts[p.index]
            for p in phones
        }
        missing = [i for i, d in delays.items() if d == math.inf]
        in_background = sum(starts[i] > back for i in starts)
        if missing:
            print(f"  phones that never synced after the database was back: {missing[:20]} (NOT met)")
            ok = False
        else:
            print(
                f"  every phone completed a sync by itself after the database was back (or, for the "
                f"{in_background} in the background then, after they came back): median "
                f"{statistics.median(delays.values()):.1f} s, all within {max(delays.values()):.1f} s"
            )
            failed_back = [delays[p.index] for p in failed_phones]
            if failed_back:
                print(
                    f"  the {len(failed_back)} phones whose sync had failed: "
                    f"median {statistics.median(failed_back):.1f} s, last {max(failed_back):.1f} s"
                )
        live_before = [s.live_up for s in run.samples if s.t < rel - run.load_start]
        live_after = [s for s in run.samples if s.t >= rel - run.load_start]
        if live_before and live_after:
            lowest = min(s.live_up for s in live_after[:24])
            print(f"  live connections up (5 s samples): {live_before[-1]} before, lowest {lowest} after")

    print(
        "\nafter the load: phones caught up by themselves in "
        + (
            f"{run.converged_after_s:.1f} s"
            if run.converged_after_s is not None
            else f"NOT within {plan.quiesce_max_s:.0f} s: {len(run.not_converged)} phones "
            f"{run.not_converged[:10]}"
        )
    )
    if run.converged_after_s is None:
        ok = False

    print("\nedits:")
    print(
        f"  made {v.edits}; applied once {v.applied}; superseded by a newer stamp in the same push "
        f"{v.superseded_in_push}, by one already applied {v.superseded_stored}"
    )
    lost = len(v.lost) + v.unacknowledged
    print(
        f"  lost {lost} (not applied and not superseded {len(v.lost)}, "
        f"never acknowledged {v.unacknowledged}); "
        f"applied twice {v.applied_twice}; applied but made by no phone {v.phantom}; "
        f"same stamp twice {v.stamp_twice}; sequence number twice {v.seq_twice}"
    )
    print(
        f"  re-stamped {v.restamped}; refused by the server {v.rejected}; device counters differing "
        f"{len(v.counter_mismatch)}; phones without their token {len(v.token_lost)}"
    )
    for line in (v.lost + v.counter_mismatch)[:10]:
        print(f"    {line}")
    print(
        f"  convergence: {v.fields} fields; server = last writer wins in "
        f"{plan.households - len(v.server_not_lww)}/{plan.households} households; phone = server on "
        f"{len(phones) - len(v.phone_differs)}/{len(phones)} phones"
    )
    for line in (v.server_not_lww + v.phone_differs)[:10]:
        print(f"    {line}")
    if lost or v.applied_twice or v.phantom or v.stamp_twice or v.seq_twice or v.counter_mismatch:
        ok = False
    if v.server_not_lww or v.phone_differs or v.token_lost or v.rejected:
        ok = False
    problems = Counter(
        code for p in phones for _, code in p.failed if code not in ("offline", "server_error")
    )
    reads = Counter(code for p in phones for code, n in p.read_errors.items() for _ in range(n))
    if problems or reads:
        print(f"  sync problems other than offline: {dict(problems)}; family-tab errors: {dict(reads)}")
    if problems:
        ok = False

    print("\nserver worker RSS, MiB (median of the 5 s samples in 30 s from each point):")
    warm = seconds / 6
    restart_t = (outage.started - run.load_start) if outage.started else seconds / 2
    print(
        f"  {'worker':8}{'warm ' + str(round(warm)) + ' s':>12}{'pre-outage':>12}{'post':>10}"
        f"{'end':>10}{'max':>10}{'growth':>9}"
    )
    growths = []
    for pid in run.worker_pids:
        w = rss_at(run.samples, pid, warm)
        pre = rss_at(run.samples, pid, max(warm, restart_t - 30))
        post = rss_at(run.samples, pid, restart_t + 30)
        end = rss_at(run.samples, pid, seconds - 30)
        top = max((s.rss.get(pid, 0) for s in run.samples), default=0)
        growths.append(end / w - 1)
        print(
            f"  {pid:<8}{mib(w):>12}{mib(pre):>12}{mib(post):>10}{mib(end):>10}{mib(top):>10}"
            f"{growths[-1]:+9.1%}"
        )
    judged = plan.minutes >= RSS_JUDGED_FROM_MIN
    met = all(g < RSS_TARGET for g in growths)
    print(
        f"  target growth < {RSS_TARGET:.0%} after warm-up: "
        + (
            ("met" if met else "NOT met")
            if judged
            else f"not judged (run shorter than {RSS_JUDGED_FROM_MIN:g} min)"
        )
    )
    if judged and not met:
        ok = False
    if run.workers_gone:
        print(f"  worker processes gone during the run: {sorted(run.workers_gone)} (NOT met)")
        ok = False

    print("\nper minute:  req/s  push/s  pull/s  failed  edits pace  live up  pending  RSS MiB (workers)")
    for minute in range(int(seconds // 60) + (1 if seconds % 60 else 0)):
        a, b = run.load_start + 60 * minute, min(run.load_end, run.load_start + 60 * (minute + 1))
        if b <= a:
            continue
        span = b - a
        in_minute = [s for s in run.samples if 60 * minute <= s.t < 60 * (minute + 1)]
        if not in_minute:
            continue
        last = in_minute[-1]
        rss = " ".join(
            mib(statistics.median([s.rss.get(pid, 0) for s in in_minute])).strip() for pid in run.worker_pids
        )
        print(
            f"  {minute:>4}  {meter.count(a, b) / span:8.1f}{meter.count(a, b, PUSH) / span:8.1f}"
            f"{meter.count(a, b, PULL) / span:8.1f}{meter.failed(a, b):8d}"
            f"{last.pace:11.3f}{last.live_up:9d}{last.pending:9d}  {rss}"
        )

    log = log_path.read_text(errors="replace") if log_path.exists() else ""
    failed_requests = log.count("Exception in ASGI application")
    errors = Counter(re.findall(r"^([A-Za-z_][\w.]*(?:Error|Exception)):", log, re.M))
    warnings = Counter(re.findall(r"^(?:WARNING:\s+)?(live: [^;\n]*)", log, re.M))
    print(
        f"\nserver log ({log_path}): {failed_requests} requests failed with an exception (500); "
        f"exceptions: {dict(errors.most_common(6))}; other lines: {dict(warnings.most_common(4))}"
    )
    print(f"\nresult: {'all judged targets met' if ok else 'FAILED'}")
    return ok


# --- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30, help="length of the load (the outage halfway)")
    parser.add_argument("--rate", type=float, default=200, help="requests per second, all phones together")
    parser.add_argument("--households", type=int, default=60, help="2 and 3 phones alternately")
    parser.add_argument(
        "--database-url", default=PG_ADMIN, help="PostgreSQL admin URL; a fresh database is made there"
    )
    parser.add_argument(
        "--outage",
        choices=("restart", "terminate", "none"),
        help="restart the cluster (default), or cut this run's database for 3 s (--smoke's default)",
    )
    parser.add_argument(
        "--restart-cmd",
        help="command that restarts PostgreSQL (default: pg_ctlcluster of the cluster on that port)",
    )
    parser.add_argument(
        "--down-seconds", type=float, default=20, help="restart as stop, this long down, start (0: restart)"
    )
    parser.add_argument("--rate-limit", type=int, default=600, help="NYIN_SYNC_RATE_PER_MIN for the server")
    parser.add_argument("--keep-db", action="store_true", help="keep the run's database (and its soak_audit)")
    parser.add_argument("--smoke", action="store_true", help="a short run for the test suite (no restart)")
    args = parser.parse_args()
    if args.smoke:
        plan = Plan(
            minutes=0.5,
            rate=30,
            households=6,
            outage=args.outage or "terminate",
            outage_at_s=10,
            down_s=3,
            token_age_every_s=2,
            quiesce_max_s=90,
        )
    else:
        plan = Plan(
            minutes=args.minutes,
            rate=args.rate,
            households=args.households,
            outage=args.outage or "restart",
            outage_at_s=args.minutes * 30,
            down_s=args.down_seconds,
        )
    restart = (
        restart_steps(args.database_url, args.restart_cmd, plan.down_s) if plan.outage == "restart" else []
    )
    log_path = Path(tempfile.gettempdir()) / f"soak-server-{os.getpid()}.log"
    shm = Path("/dev/shm")
    meter = Meter()
    with (
        tempfile.TemporaryDirectory(prefix="soak-phones-", dir=shm if shm.is_dir() else None) as folder,
        fresh_database(args.database_url, args.keep_db) as db_url,
        api_server(db_url, 2, args.rate_limit, log_path) as (url, proc),
    ):
        install_audit(db_url)
        print(
            f"setting up {plan.households} households on {url} ({db_url.rsplit('/', 1)[1]}); "
            f"server log {log_path}",
            flush=True,
        )
        phones = make_households(url, plan.households, Path(folder), meter)
        run = asyncio.run(run_load(plan, phones, meter, args.database_url, db_url, restart, proc))
        verdict = verify(phones, db_url)
        ok = report(plan, phones, meter, run, verdict, log_path)
        for phone in phones:
            phone.client.http.close()
            phone.store.close()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
