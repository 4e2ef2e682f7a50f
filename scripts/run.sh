#!/usr/bin/env bash
# One command: set everything up and run the sync server (embedded SQLite, with a demo family,
# demo hosts and a demo coordinator) and the app. With no display the app is served in a browser at http://127.0.0.1:8550
# (NYIN_PORT changes it); the server listens on 127.0.0.1:8551 (NYIN_SERVER_PORT).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh web,server
export FLET_WEB_NO_CDN=true
server_port="${NYIN_SERVER_PORT:-8551}"
export NYIN_SERVER_URL="${NYIN_SERVER_URL:-http://127.0.0.1:$server_port}"

.venv/bin/python -m uvicorn --factory server.app:create_app --host 127.0.0.1 --port "$server_port" \
  --log-level warning &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT INT TERM
.venv/bin/python -m server.demo --server "$NYIN_SERVER_URL" || echo "(demo family not created)" >&2
.venv/bin/python -m server.demo_hosts --server "$NYIN_SERVER_URL" || echo "(demo hosts not created)" >&2

if [ -z "${DISPLAY:-}" ] || [ "${NYIN_WEB:-}" = 1 ]; then
  echo "Ny i Nordland: open http://${NYIN_HOST:-127.0.0.1}:${NYIN_PORT:-8550} in your browser."
fi
.venv/bin/python main.py
