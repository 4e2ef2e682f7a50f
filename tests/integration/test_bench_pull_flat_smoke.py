"""bench/pull_flat.py still runs: its smoke mode end to end (this server on SQLite, two households'
histories pushed through the real API, pulls at the head cursor timed). It prints figures but the
test checks none of them (times are never asserted in tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_pull_flat_benchmark_runs_in_smoke_mode():
    done = subprocess.run(
        [sys.executable, "bench/pull_flat.py", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "database: SQLite" in out and "pull with nothing new" in out
    for row in ("history      p50     p99", "100   ", "1,000   ", "ratio of medians"):
        assert row in out
    assert "smoke: no target checked" in out
