#!/usr/bin/env bash
# One command: set everything up and run the sync server (embedded SQLite, with a demo family,
# demo hosts who answer requests by themselves, a demo coordinator and a demo employer) and the app. With no
# display the app is served in a browser at http://127.0.0.1:8550 (NYIN_PORT changes it); the
# server listens on 127.0.0.1:8551 (NYIN_SERVER_PORT).
#
# It prints only what a person needs: the app's address, the code to join the demo family, the
# demo coordinator's enrolment code, the demo employer's staff code and how to stop. Everything else (setup, the server's request
# log, the app's log, the demo's progress) goes to logs/run.log (the previous run's to run.log.1).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p logs
log=logs/run.log
if [ -f "$log" ]; then mv -f "$log" "$log.1"; fi
: >"$log"
echo "Starting Ny i Nordland (the first run installs packages: a few minutes). Log: $PWD/$log"

if ! bash scripts/setup.sh web,server >>"$log" 2>&1; then
  echo "Setting up failed; the end of the log says why:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
export FLET_WEB_NO_CDN=true
server_port="${NYIN_SERVER_PORT:-8551}"
export NYIN_SERVER_URL="${NYIN_SERVER_URL:-http://127.0.0.1:$server_port}"

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# No access log: it would write every client address (personal data; docs/privacy.md).
.venv/bin/python -m uvicorn --factory server.app:create_app --host 127.0.0.1 --port "$server_port" --no-access-log \
  >>"$log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
codes=$(.venv/bin/python -m demo seed --server "$NYIN_SERVER_URL" 2>>"$log") || true
failed() {  # what did not start, then the end of the log, which says why
  echo "$1 did not start (port in use? NYIN_PORT / NYIN_SERVER_PORT change them). The end of the log:" >&2
  tail -n 5 "$log" >&2
  exit 1
}
if ! kill -0 "$server_pid" 2>/dev/null; then failed "The sync server"; fi
# The demo hosts answer visit requests a few seconds after they arrive (NYIN_DEMO_ANSWER_SECONDS).
.venv/bin/python -m demo respond --server "$NYIN_SERVER_URL" >>"$log" 2>&1 &
pids+=("$!")

if [ -n "${DISPLAY:-}" ] && [ "${NYIN_WEB:-}" != 1 ]; then
  echo "${codes:-(the demo data could not be made; see the log)}"
  echo "The app opens in a window. To stop, close it or press Ctrl+C here."
  .venv/bin/python main.py >>"$log" 2>&1
  exit 0
fi

host="${NYIN_HOST:-127.0.0.1}"
port="${NYIN_PORT:-8550}"
.venv/bin/python main.py >>"$log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
for _ in $(seq 1 240); do
  if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then break; fi
  if ! kill -0 "$app_pid" 2>/dev/null; then failed "The app"; fi
  sleep 0.25
done
echo "Open the app:          http://$host:$port"
echo "${codes:-(the demo data could not be made; see the log)}"
echo "To stop, press Ctrl+C."
wait "$app_pid"
