"""The real server on a real database: SQLite always, PostgreSQL too (required under CI)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from services.hlc import HybridClock

PG_ADMIN_URL = os.environ.get("NYIN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_database() -> Iterator[str]:
    """A throwaway PostgreSQL database for one test."""
    import psycopg

    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {PG_ADMIN_URL}: {exc}")
        pytest.skip("PostgreSQL not reachable")
    name = f"nyin_{secrets.token_hex(6)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=database_url, max_body_bytes=200_000))) as c:
        yield c


class Phone:
    """A registered device talking to the server, with its own clock and outbox counter."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        body = client.post("/v1/devices").json()
        self.device_id, self.token = body["device_id"], body["token"]
        self.clock = HybridClock(self.device_id[:8])
        self.counter = 0

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def create_household(self, name: str = "Ana") -> dict:
        return self.client.post("/v1/households", json={"display_name": name}, headers=self.auth).json()

    def op(self, row_key: str, field: str, value: object, physical_ms: int | None = None) -> dict:
        self.counter += 1
        stamp = self.clock.now(physical_ms).encode()
        return {
            "counter": self.counter,
            "entity": "step_state",
            "row_key": row_key,
            "field": field,
            "value": value,
            "stamp": stamp,
        }

    def push(self, ops: list[dict], protocol: int = 1):
        return self.client.post("/v1/sync/push", json={"protocol": protocol, "ops": ops}, headers=self.auth)

    def pull(self, since: int = 0, limit: int = 1000):
        return self.client.get("/v1/sync/pull", params={"since": since, "limit": limit}, headers=self.auth)


@pytest.fixture
def phone(client: TestClient) -> Phone:
    p = Phone(client)
    p.create_household()
    return p
