"""bench/tick_latency.py still runs: its tiny mode (2 rounds of 100 durable app ticks against bare
sqlite3 inserts, the median ratio over rounds). It prints figures but the test checks none of them
(times are never asserted in tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_tick_latency_benchmark_runs_in_smoke_mode():
    done = subprocess.run(
        [sys.executable, "bench/tick_latency.py", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "tick latency, 2 rounds" in out and "median ratio app/bare:" in out
    for column in ("app p50", "app p99", "bare p50", "bare p99", "r p50", "r p99"):
        assert column in out
