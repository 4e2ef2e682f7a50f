"""Every benchmark still runs: each one's `--smoke` mode end to end, as a person runs it (servers,
phones, real HTTP traffic, figures printed). The figures' labels are checked, never the times
(times are never asserted in tests); data checks a script makes itself (edits lost or applied
twice, refused requests) come back through its exit status. PostgreSQL and pouchdb-server are
required under CI (a missing one fails the test), skipped elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.conftest import require_ci_tool

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("NYIN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
POUCH_BIN = ROOT / "bench" / "peer" / "node_modules" / ".bin" / "pouchdb-server"


def run_smoke(script: str, *args: str, timeout: float = 120, env: dict[str, str] | None = None) -> str:
    """Run `bench/<script>.py --smoke`; its output, after checking that it ended well."""
    done = subprocess.run(
        [sys.executable, f"bench/{script}.py", "--smoke", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-3000:]
    return done.stdout


def require_postgres() -> str:
    """The PostgreSQL the tests use (NYIN_TEST_POSTGRES): a failure under CI, a skip elsewhere."""
    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {PG_ADMIN_URL}: {exc}")
        pytest.skip("PostgreSQL not reachable")
    return PG_ADMIN_URL


def assert_rows(out: str, *rows: str) -> None:
    for row in rows:
        assert row in out, row


def test_footprint():
    # It only reads file sizes: the smoke mode is the full measurement without the verdict.
    out = run_smoke("footprint")
    assert_rows(out, "phone footprint", "biggest items after cleanup:", "app code + assets:",
                "dependencies as installed:", "babel/locale-data:", "total as installed:",
                "total after [tool.flet.cleanup]:", "baseline flet alone:")  # fmt: skip


def test_tick_latency():
    out = run_smoke("tick_latency")
    assert_rows(
        out, "tick latency, 2 rounds", "median ratio app/bare:", "app p50", "app p99", "bare p50", "r p99"
    )


def test_employer_dashboard():
    out = run_smoke("employer_dashboard")
    assert_rows(out, "employer dashboard: 12 cases, 8 joined", "GET /v1/employer/cases", "GET /v1/employer ",
                "PUT task", "POST message", "GET cases.csv", "ratio p50")  # fmt: skip
    # Every joined family shared all six milestones: the dashboard shows all of them.
    assert "milestones on the dashboard: 48 (all consented" in out


def test_matching():
    out = run_smoke("matching")
    assert_rows(out, "matching round:", "allowed pairs after pruning", "assigned", "objective",
                "seconds, median of", "suggestions p50", "ratio p50 suggestions / health")  # fmt: skip
    assert "equal: True" in out  # the pruning kept the optimum (exactness, not time)
    assert "top 5: Host" in out  # the server suggested the inserted hosts


def test_pull_flat():
    out = run_smoke("pull_flat")
    assert_rows(out, "database: SQLite", "pull with nothing new", "history      p50     p99", "1,000   ",
                "ratio of medians", "smoke: no target checked")  # fmt: skip


def test_sync_vs_pouchdb():
    require_ci_tool(str(POUCH_BIN), "pouchdb-server (npm ci --prefix bench/peer)")
    out = run_smoke("sync_vs_pouchdb")
    assert_rows(out, "push edits/s", "pull edits/s", "push bytes/edit", "pull bytes/edit", "all bytes/edit",
                "smoke: no target checked", "pouchdb keeps {")  # fmt: skip
    # Our side of the two-phones case (an edit our server refused would fail the run).
    assert "ours keeps {'status': 'done', 'note': 'Ask about BankID'}" in out


def test_load():
    database = require_postgres()
    out = run_smoke("load", env={"NYIN_BENCH_POSTGRES": database})
    assert_rows(out, "sync requests in", "CPU during the sync phase", "push+pull", "/v1/health",
                "sync / health throughput")  # fmt: skip
    assert "smoke: no target checked; errors 0" in out  # the script also fails on any refusal


def test_realtime():
    out = run_smoke("realtime", timeout=280)
    assert_rows(out, "(a) tick to visible on the other phone", "(b) fan-out", "ours, one process",
                "ours, across processes", "ours, 1 worker", "ours, 2 workers")  # fmt: skip


def test_soak():
    # The smoke run does not restart the shared PostgreSQL (other tests use it): it refuses and
    # cuts the connections of its own throwaway database for 3 s.
    out = run_smoke("soak", "--database-url", require_postgres(), timeout=280)
    assert "this database refused and its connections cut" in out  # the outage happened
    assert "lost 0 (" in out and "applied twice 0;" in out
    assert "every phone completed a sync by itself" in out
    assert "result: all judged targets met" in out
