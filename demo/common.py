"""Where the demo keeps its files, and waiting for the server to answer."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from server.settings import DEFAULT_SQLITE


def demo_dir(database_url: str) -> Path:
    """The folder beside the server's SQLite database (the default folder for other databases):
    the demo phone and the demo hosts' tokens live there, next to the data they belong to."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).expanduser().resolve().parent
    return DEFAULT_SQLITE


def read_json(path: Path) -> dict:
    """A demo file's JSON object; empty when there is no (readable) file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_private_json(path: Path, data: dict) -> None:
    """Write a demo file holding device tokens atomically, readable by this user only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1, sort_keys=True)
    os.chmod(partial, 0o600)
    os.replace(partial, path)


def wait_for_server(http: httpx.Client, timeout: float = 30) -> None:
    """Return once GET /v1/health answers; SystemExit after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if http.get("/v1/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"The sync server at {http.base_url} did not answer.")
        time.sleep(0.2)
