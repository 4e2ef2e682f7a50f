"""Shared by the sync benchmarks: start this project's server (uvicorn) as a subprocess, and a
phone-like driver that registers a device and pushes ops with real HLC stamps."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.hlc import HybridClock  # noqa: E402
from services.sync_client import GZIP_FROM_BYTES  # noqa: E402

PG_ADMIN = os.environ.get("NYIN_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


@contextlib.contextmanager
def our_server(database_url: str, workers: int = 1) -> Iterator[str]:
    """This project's API on a free loopback port (rate limit off: the benchmark is the load)."""
    port = free_port()
    # Rate and abuse limits off: the benchmark is the load (it registers a device per household).
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NYIN_SYNC_RATE_PER_MIN": "0",
        "NYIN_ABUSE_LIMITS": "off",
    }
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "server.app:create_app", "--port", str(port)]
    cmd += ["--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    try:
        wait_http(f"http://127.0.0.1:{port}/v1/health")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards."""
    import psycopg

    name = f"nyin_bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Device:
    """One phone of one household, speaking the wire protocol directly."""

    def __init__(self, http: httpx.Client, create: bool = True) -> None:
        self.http = http
        body = http.post("/v1/devices").json()
        self.headers = {"Authorization": f"Bearer {body['token']}", "X-Protocol-Version": "1"}
        self.clock = HybridClock(body["device_id"][:8])
        self.counter = 0
        self.cursor = 0
        if create:
            http.post("/v1/households", json={"display_name": "Ana"}, headers=self.headers)

    def push_body(self, ops: list[dict]) -> tuple[bytes, dict[str, str]]:
        """A push body as the app's sync client sends it (compact JSON, gzipped above 1 KB)."""
        body = json.dumps({"protocol": 1, "ops": ops}, separators=(",", ":")).encode()
        headers = {**self.headers, "Content-Type": "application/json"}
        if len(body) > GZIP_FROM_BYTES:
            body, headers["Content-Encoding"] = gzip.compress(body, compresslevel=6), "gzip"
        return body, headers

    def ops(self, edits: list[tuple[str, str, object]]) -> list[dict]:
        out = []
        for row_key, field, value in edits:
            self.counter += 1
            out.append(
                {
                    "counter": self.counter,
                    "entity": "step_state",
                    "row_key": row_key,
                    "field": field,
                    "value": value,
                    "stamp": self.clock.now().encode(),
                }
            )
        return out
