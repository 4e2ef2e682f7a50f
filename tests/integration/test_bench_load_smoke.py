"""bench/load.py still runs: its smoke mode end to end (2 workers on a throwaway PostgreSQL
database, households with two phones, a couple of seconds of mixed push/pull, the /v1/health
baseline). It prints figures but the test checks none of them (times are never asserted in
tests); the script itself fails when any request was refused.

PostgreSQL is required (NYIN_TEST_POSTGRES, as the other tests): under CI a missing PostgreSQL
fails the test, elsewhere it is skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("NYIN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def test_the_load_benchmark_runs_in_smoke_mode():
    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {PG_ADMIN_URL}: {exc}")
        pytest.skip("PostgreSQL not reachable")
    done = subprocess.run(
        [sys.executable, "bench/load.py", "--smoke"],
        cwd=ROOT,
        env={**os.environ, "NYIN_BENCH_POSTGRES": PG_ADMIN_URL},  # the database checked above
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "sync requests in" in out and "CPU during the sync phase" in out
    for row in ("push+pull", "/v1/health", "sync / health throughput"):
        assert row in out
    assert "smoke: no target checked; errors 0" in out
