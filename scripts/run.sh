#!/usr/bin/env bash
# One command: set everything up and run the app. With no display it serves the app in a browser
# at http://127.0.0.1:8550 (NYIN_PORT changes the port).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh web
export FLET_WEB_NO_CDN=true
if [ -z "${DISPLAY:-}" ] || [ "${NYIN_WEB:-}" = 1 ]; then
  echo "Ny i Nordland: open http://${NYIN_HOST:-127.0.0.1}:${NYIN_PORT:-8550} in your browser."
fi
exec .venv/bin/python main.py
