"""bench/footprint.py still runs: it only reads file sizes, so its smoke mode is the full
measurement (app files, the client dependencies before and after the cleanup globs, flet alone)
without the verdict. It prints figures but the test checks none of them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_footprint_benchmark_runs_in_smoke_mode():
    done = subprocess.run(
        [sys.executable, "bench/footprint.py", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "phone footprint" in out and "biggest items after cleanup:" in out
    for row in (
        "app code + assets:",
        "dependencies as installed:",
        "babel/locale-data:",
        "total as installed:",
        "total after [tool.flet.cleanup]:",
        "baseline flet alone:",
    ):
        assert row in out
