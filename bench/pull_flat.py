"""Pull with nothing new: is it flat in the size of the household's history?

Two households on one server: one with 100 edits of history, one with 100,000 (distinct fields,
pushed through the real API in batches of 500). Then, for each, a pull at its head cursor (nothing
new) is timed on loopback, alternating the two, 300 times each. Target: the ratio of medians
(100,000 vs 100) stays close to 1.

Run from the project root:  .venv/bin/python bench/pull_flat.py [--postgres] [--smoke]
`--smoke` is a tiny run (1,000 edits of history instead of 100,000, 10 pulls each, no target
checked) that the test suite runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync_server import Device, our_server, throwaway_postgres  # noqa: E402

ROUNDS, LARGE = 300, 100_000


def build_history(http: httpx.Client, edits: int) -> Device:
    device = Device(http)
    for start in range(0, edits, 500):
        batch = [(f"step{i}", "note", f"edit {i}") for i in range(start, min(edits, start + 500))]
        answer = http.post(
            "/v1/sync/push", json={"protocol": 1, "ops": device.ops(batch)}, headers=device.headers
        )
        answer.raise_for_status()
    while True:
        page = http.get("/v1/sync/pull", params={"since": device.cursor}, headers=device.headers).json()
        device.cursor = page["cursor"]
        if not page["more"]:
            return device


def time_head_pull(http: httpx.Client, device: Device) -> float:
    start = time.perf_counter()
    page = http.get("/v1/sync/pull", params={"since": device.cursor}, headers=device.headers)
    elapsed = time.perf_counter() - start
    assert page.status_code == 200 and page.json()["changes"] == []
    return elapsed * 1000


def run(database_url: str, large_edits: int = LARGE, rounds: int = ROUNDS, smoke: bool = False) -> None:
    with our_server(database_url) as url, httpx.Client(base_url=url, timeout=60) as http:
        t0 = time.perf_counter()
        small = build_history(http, 100)
        large = build_history(http, large_edits)
        print(f"history built in {time.perf_counter() - t0:.0f} s (cursors {small.cursor}, {large.cursor})")
        for _ in range(min(20, rounds)):  # warm-up
            time_head_pull(http, small)
            time_head_pull(http, large)
        a, b = [], []
        for _ in range(rounds):
            a.append(time_head_pull(http, small))
            b.append(time_head_pull(http, large))
    p50a, p50b = statistics.median(a), statistics.median(b)
    p99a, p99b = (sorted(x)[int(len(x) * 0.99) - 1] for x in (a, b))
    print(f"pull with nothing new, {rounds} each, loopback, ms")
    print("history      p50     p99")
    print(f"100        {p50a:6.2f}  {p99a:6.2f}")
    print(f"{large_edits:<9,}  {p50b:6.2f}  {p99b:6.2f}")
    print(f"ratio of medians ({large_edits:,} / 100): {p50b / p50a:.2f} (flat is ~1)")
    if smoke:  # 1,000 edits of history on a busy test machine measures nothing
        print("smoke: no target checked")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="run on a throwaway PostgreSQL database")
    parser.add_argument("--smoke", action="store_true", help="a tiny run for the test suite")
    args = parser.parse_args()
    sizes = {"large_edits": 1000, "rounds": 10, "smoke": True} if args.smoke else {}
    if args.postgres:
        with throwaway_postgres() as url:
            print("database: PostgreSQL")
            run(url, **sizes)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            print("database: SQLite")
            run(f"sqlite:///{Path(tmp) / 'server.db'}", **sizes)


if __name__ == "__main__":
    main()
