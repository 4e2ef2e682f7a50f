"""Sync against a real peer: pouchdb-server and this server, fed the same data by the same driver.

1,000 households × 100 field edits (25 steps × 4 fields, pushed in 2 rounds as a phone syncing
twice would: the second round updates steps that already exist). Each household is one database
on pouchdb-server (`_bulk_docs` with the documents' current `_rev`, `_changes?include_docs=true`)
and one household on this server (`/v1/sync/push`, `/v1/sync/pull`). Same httpx driver, same
thread pool. Reports push and pull throughput (edits/s) and bytes on the wire per edit (request
and response, headers and bodies), and what each keeps when two phones edit different fields of
one step at the same time.

pouchdb-server comes from the npm registry (needs node + npm):
    npm ci --prefix bench/peer
Run from the project root:
    .venv/bin/python bench/sync_vs_pouchdb.py [--households 1000] [--trials 3] [--postgres] [--smoke]
`--smoke` is a tiny run (40 households, 1 trial, both servers, no target checked) that the test
suite runs, so that the benchmark cannot silently stop working.

The machine is shared and noisy: each trial uses new households and the servers take turns going
first; the figures are medians over the trials.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync_server import ROOT, Device, free_port, our_server, throwaway_postgres, wait_http  # noqa: E402

POUCH_BIN = Path(
    os.environ.get("POUCHDB_SERVER", ROOT / "bench" / "peer" / "node_modules" / ".bin" / "pouchdb-server")
)
STEPS, FIELDS, ROUNDS = 25, ("status", "note", "assignee", "deleted"), 2
THREADS = 8


def edits_for(household: int, round_: int) -> list[tuple[str, str, object]]:
    """Round 0 sets status and note of every step, round 1 assignee and deleted (50 + 50 edits)."""
    fields = FIELDS[:2] if round_ == 0 else FIELDS[2:]
    values = {
        "status": lambda s: ("done", "todo", "not_relevant")[s % 3],
        "note": lambda s: f"Bring passport and contract (household {household}, step {s})",
        "assignee": lambda s: f"member-{household % 7}",
        "deleted": lambda s: s % 10 == 0,
    }
    return [(f"step{s}", f, values[f](s)) for s in range(STEPS) for f in fields]


class Wire:
    """Counts bytes on the wire of every request and response (headers and bodies)."""

    def __init__(self) -> None:
        self.bytes = 0
        self.lock = threading.Lock()

    def send(self, http: httpx.Client, method: str, url: str, **kwargs: object) -> httpx.Response:
        request = http.build_request(method, url, **kwargs)
        response = http.send(request)
        # Raw bytes as sent and received: a gzipped body counts compressed.
        size = len(request.content) + len(method) + len(request.url.raw_path) + 11
        size += sum(len(k) + len(v) + 4 for k, v in request.headers.raw)
        size += response.num_bytes_downloaded + 17
        size += sum(len(k) + len(v) + 4 for k, v in response.headers.raw)
        with self.lock:
            self.bytes += size
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {url}: {response.status_code} {response.text[:200]}")
        return response


def timed(pool: ThreadPoolExecutor, households: int, work: Callable[[int], None]) -> float:
    start = time.perf_counter()
    list(pool.map(work, range(households)))
    return time.perf_counter() - start


@contextlib.contextmanager
def pouchdb_server(folder: Path) -> Iterator[str]:
    if not POUCH_BIN.exists():
        sys.exit(f"pouchdb-server not found at {POUCH_BIN}: npm ci --prefix bench/peer")
    port = free_port()
    config = folder / "config.json"
    config.write_text(json.dumps({"log": {"level": "none"}}))
    proc = subprocess.Popen(
        [
            str(POUCH_BIN),
            "--port",
            str(port),
            "--dir",
            str(folder),
            "--config",
            str(config),
            "--no-stdout-logs",
        ],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def run_ours(url: str, households: int, trial: int = 0) -> dict[str, float]:
    wire = Wire()
    with httpx.Client(base_url=url, timeout=120, limits=httpx.Limits(max_connections=THREADS)) as http:
        devices = [Device(http) for _ in range(households)]  # set-up, not timed or counted

        def push(round_: int) -> Callable[[int], None]:
            def work(h: int) -> None:
                body, headers = devices[h].push_body(devices[h].ops(edits_for(h, round_)))
                wire.send(http, "POST", "/v1/sync/push", content=body, headers=headers)

            return work

        def pull(h: int) -> None:
            since, seen = 0, 0
            while True:
                page = wire.send(
                    http, "GET", "/v1/sync/pull", params={"since": since}, headers=devices[h].headers
                )
                body = page.json()
                seen += len(body["changes"])
                since = body["cursor"]
                if not body["more"]:
                    break
            assert seen == STEPS * len(FIELDS), seen

        with ThreadPoolExecutor(THREADS) as pool:
            push_s = sum(timed(pool, households, push(r)) for r in range(ROUNDS))
            push_bytes = wire.bytes
            pull_s = timed(pool, households, pull)
    return {
        "push_s": push_s,
        "pull_s": pull_s,
        "push_bytes": push_bytes,
        "pull_bytes": wire.bytes - push_bytes,
    }


def run_pouch(url: str, households: int, trial: int = 0) -> dict[str, float]:
    wire = Wire()
    revs: list[dict[str, str]] = [{} for _ in range(households)]
    docs: list[dict[str, dict]] = [{} for _ in range(households)]
    with httpx.Client(base_url=url, timeout=120, limits=httpx.Limits(max_connections=THREADS)) as http:
        with ThreadPoolExecutor(THREADS) as pool:
            db = [f"/t{trial}hh{h}" for h in range(households)]  # one database per household
            list(pool.map(lambda h: http.put(db[h]).raise_for_status(), range(households)))  # set-up

            def push(round_: int) -> Callable[[int], None]:
                def work(h: int) -> None:
                    # A CouchDB client sends whole documents with the revision it last saw.
                    for row, field, value in edits_for(h, round_):
                        docs[h].setdefault(row, {"_id": row})[field] = value
                    batch = [
                        {**doc, **({"_rev": revs[h][row]} if row in revs[h] else {})}
                        for row, doc in docs[h].items()
                    ]
                    answer = wire.send(http, "POST", f"{db[h]}/_bulk_docs", json={"docs": batch}).json()
                    for result in answer:
                        assert "rev" in result, result
                        revs[h][result["id"]] = result["rev"]

                return work

            def pull(h: int) -> None:
                body = wire.send(
                    http, "GET", f"{db[h]}/_changes", params={"include_docs": "true", "since": 0}
                ).json()
                assert len(body["results"]) == STEPS, len(body["results"])

            push_s = sum(timed(pool, households, push(r)) for r in range(ROUNDS))
            push_bytes = wire.bytes
            pull_s = timed(pool, households, pull)
            # Tear-down, not timed: pouchdb-server keeps every database open, and a few thousand
            # of them (several trials) make it fail.
            list(pool.map(lambda h: http.delete(db[h]).raise_for_status(), range(households)))
    return {
        "push_s": push_s,
        "pull_s": pull_s,
        "push_bytes": push_bytes,
        "pull_bytes": wire.bytes - push_bytes,
    }


def two_phones_ours(url: str) -> dict:
    """Phone A ticks the step, phone B (offline, same starting point) writes a note."""
    with httpx.Client(base_url=url, timeout=30) as http:
        a = Device(http)
        code = http.post("/v1/invites", headers=a.headers).json()["code"]
        b = Device(http, create=False)
        http.post("/v1/invites/redeem", json={"code": code}, headers=b.headers).raise_for_status()
        for device, edit in (
            (a, ("bank_account", "status", "done")),
            (b, ("bank_account", "note", "Ask about BankID")),
        ):
            http.post(
                "/v1/sync/push", json={"protocol": 1, "ops": device.ops([edit])}, headers=device.headers
            ).raise_for_status()  # a refused push would show as an edit lost, not as an error
        changes = http.get("/v1/sync/pull", params={"since": 0}, headers=a.headers).json()["changes"]
        return {c["field"]: c["value"] for c in changes}


def two_phones_pouch(url: str) -> dict:
    """The same on pouchdb-server: both phones edit revision 1 of the step offline, then
    replicate (new_edits=false, as PouchDB replication does); CouchDB picks one winning revision."""
    with httpx.Client(base_url=url, timeout=30) as http:
        http.put("/family").raise_for_status()
        first = http.put("/family/bank_account", json={"status": "todo", "note": ""}).json()["rev"]
        start, base = first.split("-")
        for suffix, change in (
            ("a" * 32, {"status": "done", "note": ""}),
            ("b" * 32, {"status": "todo", "note": "Ask about BankID"}),
        ):
            doc = {
                "_id": "bank_account",
                "_rev": f"2-{suffix}",
                **change,
                "_revisions": {"start": 2, "ids": [suffix, base]},
            }
            http.post("/family/_bulk_docs", json={"docs": [doc], "new_edits": False}).raise_for_status()
        winner = http.get("/family/bank_account", params={"conflicts": "true"}).json()
        return {
            "status": winner["status"],
            "note": winner["note"],
            "_conflicts": len(winner.get("_conflicts", [])),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=3, help="alternating which server goes first")
    parser.add_argument("--postgres", action="store_true", help="this server on PostgreSQL instead of SQLite")
    parser.add_argument(
        "--workers", type=int, default=2, help="uvicorn workers of this server (2 cores here)"
    )
    parser.add_argument("--smoke", action="store_true", help="a tiny run for the test suite")
    args = parser.parse_args()
    if args.smoke:
        # More households than the per-address flood limits allow in a minute (server/abuse.py), so
        # that the smoke run meets them as the full run would.
        args.households, args.trials = 40, 1
    n = args.households
    edits = n * STEPS * len(FIELDS)
    trials: list[dict[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        database = (
            stack.enter_context(throwaway_postgres())
            if args.postgres
            else f"sqlite:///{Path(tmp) / 'server.db'}"
        )
        ours_url = stack.enter_context(our_server(database, workers=args.workers))
        pouch_url = stack.enter_context(pouchdb_server(Path(tmp)))
        for t in range(args.trials):
            # New households every trial; the servers take turns going first, so a noisy
            # moment of the shared machine does not always fall on the same one.
            runs = [("ours", run_ours, ours_url), ("pouchdb", run_pouch, pouch_url)]
            order = runs if t % 2 == 0 else runs[::-1]
            trials.append({name: run(url, n, t) for name, run, url in order})
        kept_ours, kept_pouch = two_phones_ours(ours_url), two_phones_pouch(pouch_url)

    def rate(r: dict, k: str) -> float:
        return edits / r[f"{k}_s"]

    print(
        f"{n} households x {STEPS * len(FIELDS)} edits in {ROUNDS} rounds, {THREADS} threads, loopback; "
        f"this server on {'PostgreSQL' if args.postgres else 'SQLite (synchronous=FULL)'}, "
        f"pouchdb-server on LevelDB; {args.trials} trials, medians"
    )
    for k in ("push", "pull"):
        ratios = [rate(t["ours"], k) / rate(t["pouchdb"], k) for t in trials]
        print(f"  {k} ratio per trial: " + ", ".join(f"{r:.2f}" for r in ratios))
    print(f"{'':22}{'ours':>12}{'pouchdb':>12}{'ratio':>8}")
    for k, label in (("push", "push edits/s"), ("pull", "pull edits/s")):
        a = statistics.median(rate(t["ours"], k) for t in trials)
        b = statistics.median(rate(t["pouchdb"], k) for t in trials)
        ratio = statistics.median(rate(t["ours"], k) / rate(t["pouchdb"], k) for t in trials)
        print(f"{label:22}{a:12.0f}{b:12.0f}{ratio:8.2f}")
    ours, pouch = trials[0]["ours"], trials[0]["pouchdb"]  # bytes are the same in every trial
    for k, label in (("push", "push bytes/edit"), ("pull", "pull bytes/edit")):
        a, b = ours[f"{k}_bytes"] / edits, pouch[f"{k}_bytes"] / edits
        print(f"{label:22}{a:12.1f}{b:12.1f}{a / b:8.2f}")
    both_a = (ours["push_bytes"] + ours["pull_bytes"]) / edits
    both_b = (pouch["push_bytes"] + pouch["pull_bytes"]) / edits
    print(f"{'all bytes/edit':22}{both_a:12.1f}{both_b:12.1f}{both_a / both_b:8.2f}")
    if args.smoke:  # a handful of households on a busy test machine measures nothing
        print("smoke: no target checked")
    else:
        print("targets: throughput ratio >= 2 (median of trials), bytes ratio <= 0.5")
    print(f"two phones, different fields of one step: ours keeps {kept_ours}")
    print(f"                                          pouchdb keeps {kept_pouch}")


if __name__ == "__main__":
    main()
