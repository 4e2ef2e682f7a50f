"""The startup benchmark keeps running: one smoke round of bench/startup.py, exactly as a person
runs it, must measure both apps and see the timeline (it once timed out for months unnoticed, when
web mode moved each browser's data under browsers/)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import require_ci_tool
from tests.e2e.conftest import CHROMIUM, ROOT

pytestmark = pytest.mark.e2e


def test_startup_benchmark_smoke_round_measures_the_timeline():
    require_ci_tool(CHROMIUM, "Debian's chromium")
    done = subprocess.run(
        [sys.executable, "bench/startup.py", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the timeline showed" in done.stdout, done.stdout
    row = done.stdout.splitlines()[1].split()
    app_s, hello_s = float(row[1]), float(row[2])
    assert 0 < app_s < 60 and 0 < hello_s < 60, done.stdout
