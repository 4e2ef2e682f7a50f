"""bench/sync_vs_pouchdb.py still runs: its smoke mode end to end (this server on SQLite and
pouchdb-server, the same driver pushing and pulling, bytes counted, the two-phones case). It prints
figures but the test checks none of them (times are never asserted in tests).

pouchdb-server comes from `npm ci --prefix bench/peer` (scripts/test.sh runs it): under CI a
missing pouchdb-server fails the test, elsewhere it is skipped."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import require_ci_tool

ROOT = Path(__file__).resolve().parents[2]
POUCH_BIN = ROOT / "bench" / "peer" / "node_modules" / ".bin" / "pouchdb-server"


def test_the_sync_vs_pouchdb_benchmark_runs_in_smoke_mode():
    require_ci_tool(str(POUCH_BIN), "pouchdb-server (npm ci --prefix bench/peer)")
    done = subprocess.run(
        [sys.executable, "bench/sync_vs_pouchdb.py", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    for row in ("push edits/s", "pull edits/s", "push bytes/edit", "pull bytes/edit", "all bytes/edit"):
        assert row in out
    assert "smoke: no target checked" in out
    # Both servers answered the two-phones case (an edit refused by ours would fail the run).
    assert "ours keeps {'status': 'done', 'note': 'Ask about BankID'}" in out
    assert "pouchdb keeps {" in out
