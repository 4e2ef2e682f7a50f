#!/usr/bin/env bash
# One command: set up and run the whole test suite (lint, unit, integration, real-browser e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

# The browser tests drive Debian's Chromium (never a downloaded browser build).
if [ ! -x /usr/bin/chromium ]; then
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || echo "warning: could not install chromium; browser tests will skip (and fail under CI=true)" >&2
fi

# The sync benchmarks' smoke tests compare against pouchdb-server (bench/peer, from the npm registry).
# npm writes node_modules/.package-lock.json last: missing or older than the lock file means install.
if [ bench/peer/package-lock.json -nt bench/peer/node_modules/.package-lock.json ]; then
  if ! command -v npm >/dev/null; then
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null || true
  fi
  npm ci --prefix bench/peer --silent \
    || echo "warning: could not install pouchdb-server; its benchmark tests will skip (and fail under CI=true)" >&2
fi

# The server suites run on PostgreSQL too: start it, or install it, when it is not running.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! command -v pg_ctlcluster >/dev/null; then
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || true
  fi
  for version in $(ls /etc/postgresql 2>/dev/null); do
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  done
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null \
    || echo "warning: PostgreSQL is not running; its tests will skip (and fail under CI=true)" >&2
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
# The slowest tests are listed at the end: CI must stay well under 15 minutes.
exec .venv/bin/python -m pytest --durations=10 "$@"
