"""Load: this server with 2 uvicorn workers on PostgreSQL, a bounded loopback load of mixed
push/pull for 60 s. Targets: >= 500 requests/s sustained, p99 < 100 ms, zero errors.

The load generator (asyncio + httpx, a fixed number of requests in flight) runs on the same
2-core machine as the server and PostgreSQL, so it takes part of the CPU the server could use.
Half the requests push a batch of 5 edits, half pull since the device's cursor; 200 households
with one device each; the rate limit is off (it is per device; the benchmark is the load).

Run from the project root:  .venv/bin/python bench/load.py [--seconds 60] [--in-flight 16]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync_server import Device, our_server, throwaway_postgres  # noqa: E402

HOUSEHOLDS = 200


async def worker(
    http: httpx.AsyncClient, devices: list[Device], stop: float, latencies: list[float], errors: list[str]
) -> None:
    rng = random.Random()
    while time.perf_counter() < stop:
        device = rng.choice(devices)
        start = time.perf_counter()
        try:
            if rng.random() < 0.5:
                ops = device.ops([(f"step{rng.randrange(25)}", "status", rng.choice(["done", "todo"]))] * 5)
                answer = await http.post(
                    "/v1/sync/push", json={"protocol": 1, "ops": ops}, headers=device.headers
                )
            else:
                answer = await http.get(
                    "/v1/sync/pull", params={"since": device.cursor}, headers=device.headers
                )
                if answer.status_code == 200:
                    device.cursor = answer.json()["cursor"]
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)
            continue
        latencies.append((time.perf_counter() - start) * 1000)
        if answer.status_code != 200:
            errors.append(str(answer.status_code))


async def load(url: str, seconds: float, in_flight: int) -> tuple[list[float], list[str], float]:
    with httpx.Client(base_url=url, timeout=30) as setup:
        devices = [Device(setup) for _ in range(HOUSEHOLDS)]
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        warm = time.perf_counter() + 3
        await asyncio.gather(*(worker(http, devices, warm, [], []) for _ in range(in_flight)))
        start = time.perf_counter()
        await asyncio.gather(
            *(worker(http, devices, start + seconds, latencies, errors) for _ in range(in_flight))
        )
        elapsed = time.perf_counter() - start
    return latencies, errors, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--in-flight", type=int, default=16)
    args = parser.parse_args()
    with throwaway_postgres() as database, our_server(database, workers=2) as url:
        latencies, errors, elapsed = asyncio.run(load(url, args.seconds, args.in_flight))
    ordered = sorted(latencies)
    rps = len(latencies) / elapsed
    p50 = statistics.median(ordered)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    print(f"{len(latencies)} requests in {elapsed:.1f} s, {args.in_flight} in flight, 2 workers, PostgreSQL")
    print(f"throughput {rps:.0f} requests/s (target >= 500)")
    print(f"latency p50 {p50:.1f} ms, p99 {p99:.1f} ms (target p99 < 100)")
    print(f"errors {len(errors)} (target 0){': ' + ', '.join(sorted(set(errors))) if errors else ''}")


if __name__ == "__main__":
    main()
