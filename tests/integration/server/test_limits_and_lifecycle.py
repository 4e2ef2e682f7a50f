"""Rate limits with Retry-After, the protocol version window, tombstone purge with reset-required,
and token rotation: on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.maintenance import purge
from server.settings import Settings
from services.store import open_store
from services.sync_client import MemoryTokenStore, SyncClient
from tests.integration.server.conftest import Phone


def app_with(database_url: str, **settings: int) -> TestClient:
    return TestClient(create_app(Settings(database_url=database_url, **settings)))


@pytest.fixture
def strict(database_url: str) -> Iterator[TestClient]:
    with app_with(database_url, sync_rate_per_min=3) as client:
        yield client


def test_sync_requests_over_the_limit_get_429_with_retry_after_per_device(strict):
    ana, bo = Phone(strict), Phone(strict)
    ana.create_household()
    bo.create_household("Bo")
    assert [ana.pull().status_code for _ in range(3)] == [200, 200, 200]
    refused = ana.pull()
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert ana.push([ana.op("bank_account", "status", "done")]).status_code == 429  # push counts too
    assert bo.pull().status_code == 200  # another device has its own budget


def test_protocol_versions_outside_the_window_get_426_on_push_and_pull(phone):
    for headers in ({"X-Protocol-Version": "2"}, {"X-Protocol-Version": "zero"}):
        answer = phone.client.get("/v1/sync/pull", headers={**phone.auth, **headers})
        assert answer.status_code == 426 and answer.json()["error"]["code"] == "unsupported_protocol"
    assert phone.push([phone.op("bank_account", "status", "done")], protocol=9).status_code == 426
    assert phone.pull().status_code == 200  # no header means version 1
    assert phone.pull().json()["changes"] == []  # the refused push stored nothing


def test_old_tombstones_are_purged_and_a_device_behind_them_must_reset(database_url, tmp_path):
    with app_with(database_url, tombstone_days=0) as http:
        ana = Phone(http)
        ana.create_household()
        ana.push([ana.op("bank_account", "note", "gone soon"), ana.op("letterbox_name", "status", "done")])
        ana.push([ana.op("bank_account", "deleted", True)])
        assert purge(http.app.state.engine, Settings(database_url=database_url, tombstone_days=0)) == 1
        assert {c["row_key"] for c in ana.pull().json()["changes"]} == {"letterbox_name"}
        behind = ana.pull(since=1)
        assert behind.status_code == 409 and behind.json()["error"]["code"] == "reset_required"

        # The real phone client: resets, downloads again, keeps its unsent write.
        invite = http.post("/v1/invites", headers=ana.auth).json()["code"]
        store = open_store(tmp_path / "bo")
        bo = SyncClient(store, http, MemoryTokenStore(), sleep=lambda _s: None)
        bo.join(invite, "Bo")
        store.apply_remote([], 1)  # pretend Bo's phone last pulled long ago
        store.set_step_note("letterbox_name", "unsent")
        bo.sync()
        assert store.statuses() == {"letterbox_name": "done"} and store.sync_cursor() > 1
        assert store.notes() == {"letterbox_name": "unsent"} and store.pending_outbox() == []


def test_a_token_is_rotated_when_the_server_asks_and_the_old_one_then_stops_working(database_url, tmp_path):
    with app_with(database_url, token_refresh_days=0) as http:
        tokens = MemoryTokenStore()
        client = SyncClient(open_store(tmp_path), http, tokens, sleep=lambda _s: None)
        client.create_household("Ana")
        first = tokens.load()
        assert (
            http.get("/v1/sync/pull", headers={"Authorization": f"Bearer {first}"}).headers["X-Token-Refresh"]
            == "1"
        )
        client.pull_all()  # answers carry X-Token-Refresh: the client rotates
        second = tokens.load()
        assert second != first
        # Until the new token is used, the old one still works (a lost answer is harmless).
        assert http.get("/v1/household", headers={"Authorization": f"Bearer {first}"}).status_code == 200
        assert http.get("/v1/household", headers={"Authorization": f"Bearer {second}"}).status_code == 200
        assert http.get("/v1/household", headers={"Authorization": f"Bearer {first}"}).status_code == 401


def test_gzip_bodies_are_accepted_and_a_gzip_bomb_is_refused_storing_nothing(phone):
    import gzip
    import json

    ops = [phone.op(f"step{i}", "note", "Bring passport " * 5) for i in range(40)]
    body = gzip.compress(json.dumps({"protocol": 1, "ops": ops}).encode())
    headers = {**phone.auth, "Content-Encoding": "gzip", "Content-Type": "application/json"}
    assert phone.client.post("/v1/sync/push", content=body, headers=headers).status_code == 200
    pulled = phone.client.get("/v1/sync/pull", headers={**phone.auth, "Accept-Encoding": "gzip"})
    assert pulled.headers["content-encoding"] == "gzip" and len(pulled.json()["changes"]) == 40

    bomb = gzip.compress(b"[" + b" " * 5_000_000 + b"]")  # about 5 KB that inflate to 5 MB
    refused = phone.client.post("/v1/sync/push", content=bomb, headers=headers)
    assert refused.status_code == 413 and refused.json()["error"]["code"] == "body_too_large"
    broken = phone.client.post("/v1/sync/push", content=b"not gzip at all", headers=headers)
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "invalid_encoding"
    assert len(phone.pull().json()["changes"]) == 40


def test_workers_starting_together_migrate_once(database_url):
    """uvicorn --workers N starts N apps at once; each runs the migrations at start-up."""
    from concurrent.futures import ThreadPoolExecutor

    from server.db import make_engine, migrate

    engines = [make_engine(database_url) for _ in range(8)]
    try:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(migrate, engines))
    finally:
        for engine in engines:
            engine.dispose()


def test_a_write_is_committed_before_its_answer_leaves_the_server(tmp_path):
    """A phone that gets 201 for a new household must be able to invite at once (read-your-writes):
    the transaction commits before the response starts, not after it was sent."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    order: list[str] = []
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'order.db'}"))

    async def recording(scope, receive, send):
        async def send_and_record(message):
            if message["type"] == "http.response.start" and scope["path"] == "/v1/households":
                order.append("response")
            await send(message)

        await app(scope, receive, send_and_record)

    def on_commit(conn) -> None:
        order.append("commit")

    with TestClient(recording) as http:
        token = http.post("/v1/devices").json()["token"]
        event.listen(Engine, "commit", on_commit)
        try:
            order.clear()
            answer = http.post(
                "/v1/households", json={"display_name": "Ana"}, headers={"Authorization": f"Bearer {token}"}
            )
        finally:
            event.remove(Engine, "commit", on_commit)
    assert answer.status_code == 201
    assert order[:2] == ["commit", "response"], order
