"""bench/matching.py still runs: its tiny mode, end to end (a round solved with and without the
pruning, a uvicorn server on SQLite with certified hosts, timed suggestions against /v1/health).
It prints figures but the test checks none of the times (times are never asserted in tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_matching_benchmark_runs_in_smoke_mode():
    done = subprocess.run(
        [sys.executable, "bench/matching.py", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "matching round:" in out and "suggestions for one household among" in out
    for row in ("allowed pairs after pruning", "assigned", "objective", "seconds, median of"):
        assert row in out
    assert "suggestions p50" in out and "ratio p50 suggestions / health" in out
    assert "equal: True" in out  # the pruning kept the optimum (exactness, not time)
    assert "top 5: Host" in out  # the server suggested the inserted hosts
