"""bench/soak.py still runs: its smoke mode end to end (2 workers on PostgreSQL, 15 phones made of
the app's store, sync client and scheduler, a database outage, the data checks). The checks of
edits (none lost or applied twice, every phone = server = last writer wins) and of recovery are
asserted through the script's exit status; times and rates are printed, never asserted.

PostgreSQL is required: under CI a missing PostgreSQL fails the test, elsewhere it is skipped. The
smoke run does not restart the shared PostgreSQL (other tests use it): it refuses and cuts the
connections of its own throwaway database for 3 s."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("NYIN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def test_the_soak_benchmark_runs_in_smoke_mode():
    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {PG_ADMIN_URL}: {exc}")
        pytest.skip("PostgreSQL not reachable")
    done = subprocess.run(
        [sys.executable, "bench/soak.py", "--smoke", "--database-url", PG_ADMIN_URL],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=280,
    )
    out = done.stdout
    assert done.returncode == 0, out[-4000:] + done.stderr[-3000:]
    assert "this database refused and its connections cut" in out  # the outage happened
    assert "lost 0 (" in out and "applied twice 0;" in out
    assert "every phone completed a sync by itself" in out
    assert "result: all judged targets met" in out
