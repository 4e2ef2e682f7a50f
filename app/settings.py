"""Run-time settings from the environment, with safe defaults."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "ny-i-nordland"
DEFAULT_PORT = 8550


def data_dir() -> Path:
    """Where durable data lives: NYIN_DATA_DIR (tests), FLET_APP_STORAGE_DATA (flet run and built
    apps), else the user's XDG data folder (a plain `python main.py`)."""
    for var in ("NYIN_DATA_DIR", "FLET_APP_STORAGE_DATA"):
        value = os.environ.get(var)
        if value:
            return Path(value)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_NAME


def port() -> int:
    """The web server's port (NYIN_PORT), 8550 by default."""
    value = os.environ.get("NYIN_PORT", "")
    return int(value) if value.isdigit() else DEFAULT_PORT


DEFAULT_SERVER_URL = "http://127.0.0.1:8551"


def server_url() -> str:
    """The sync server (NYIN_SERVER_URL); the README's run command starts one at the default."""
    return os.environ.get("NYIN_SERVER_URL", DEFAULT_SERVER_URL).rstrip("/")
