"""bench/realtime.py still runs: its tiny mode, end to end (servers, two phones, live pokes, fan-out).
It prints figures but the test checks none of them (times are never asserted in tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_realtime_benchmark_runs_in_smoke_mode():
    done = subprocess.run(
        [sys.executable, "bench/realtime.py", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "(a) tick to visible on the other phone" in out and "(b) fan-out" in out
    for row in ("ours, one process", "ours, across processes", "ours, 1 worker", "ours, 2 workers"):
        assert row in out
