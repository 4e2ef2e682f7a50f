"""Run-time settings from the environment, with safe defaults."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from services.paths import SERVER_CONFIG_FILE
from services.server_url import is_allowed_server_url

log = logging.getLogger(__name__)

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


def server_url(config_file: Path = SERVER_CONFIG_FILE) -> str:
    """The sync server: NYIN_SERVER_URL when set, else the build's `assets/server.json`. An address
    the app may not use (plain HTTP beyond this device) gives "": the app then stays offline
    rather than send a family's data in clear text."""
    url = os.environ.get("NYIN_SERVER_URL", "")
    if not url:
        try:
            url = json.loads(config_file.read_text(encoding="utf-8"))["server_url"]
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("no server address in %s; using %s", config_file.name, DEFAULT_SERVER_URL)
            url = DEFAULT_SERVER_URL
    if not is_allowed_server_url(url):
        log.warning("server address refused (plain HTTP beyond this device): staying offline")
        return ""
    return url.rstrip("/")
