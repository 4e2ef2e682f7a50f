"""The sync client's transport rules: backoff with jitter, Retry-After, nothing unsent dropped.
The network is simulated with httpx's own MockTransport (the failure, not the component)."""

from __future__ import annotations

import json

import httpx
import pytest

from services.store import InvalidInputError, open_store
from services.sync_client import MemoryTokenStore, SyncClient, SyncError


def client_with(tmp_path, handler, sleeps):
    store = open_store(tmp_path)
    tokens = MemoryTokenStore()
    tokens.save("t")
    http = httpx.Client(transport=httpx.MockTransport(handler), base_url="http://server")
    return SyncClient(store, http, tokens, sleep=sleeps.append, rng=lambda: 0.5), store


def ok_push(request):
    return httpx.Response(
        200,
        json={"acked_counter": 1, "applied": 1, "server_time": 1},
        headers={"X-Server-Time": "1700000000000"},
    )


def test_retry_after_is_honoured_then_the_push_goes_through(tmp_path):
    answers = iter(
        [
            httpx.Response(
                429, json={"error": {"code": "rate_limited", "message": "wait"}}, headers={"Retry-After": "7"}
            )
        ]
    )
    sleeps: list[float] = []
    sync, store = client_with(tmp_path, lambda r: next(answers, None) or ok_push(r), sleeps)
    store.set_step_status("letterbox_name", "done")
    assert sync.push_all() == 1
    assert sleeps == [7.0]
    assert store.pending_outbox() == []


def test_network_errors_back_off_exponentially_with_jitter_and_keep_unsent_writes(tmp_path):
    def down(request):
        raise httpx.ConnectError("no network")

    sleeps: list[float] = []
    sync, store = client_with(tmp_path, down, sleeps)
    store.set_step_status("letterbox_name", "done")
    with pytest.raises(SyncError) as err:
        sync.push_all()
    assert err.value.code == "offline"
    assert sleeps == [0.375, 0.75, 1.5, 3.0, 6.0]  # 0.5 s · 2^n, jitter factor 0.75 at rng=0.5
    assert len(store.pending_outbox()) == 1  # nothing unsent is ever dropped


def test_server_errors_retry_then_succeed(tmp_path):
    answers = iter([httpx.Response(502), httpx.Response(500)])
    sleeps: list[float] = []
    sync, store = client_with(tmp_path, lambda r: next(answers, None) or ok_push(r), sleeps)
    store.set_step_note("bank_account", "Ask about BankID")
    assert sync.push_all() == 1 and len(sleeps) == 2


def test_a_rejected_token_is_cleared(tmp_path):
    sleeps: list[float] = []
    sync, store = client_with(tmp_path, lambda r: httpx.Response(401, json={"error": {}}), sleeps)
    store.set_step_status("letterbox_name", "done")
    with pytest.raises(SyncError):
        sync.push_all()
    assert sync.tokens.load() is None and len(store.pending_outbox()) == 1


def test_a_refused_change_is_found_undone_and_reported_while_the_rest_goes_through(tmp_path):
    pushed: list[list[str]] = []

    def server(request):
        if request.url.path == "/v1/sync/pull":
            return httpx.Response(200, json={"changes": [], "cursor": 0, "more": False, "server_time": 1})
        ops = json.loads(request.content)["ops"]
        if any(op["row_key"] == "bad_step" for op in ops):
            return httpx.Response(422, json={"error": {"code": "value_too_large", "message": "too big"}})
        pushed.append([op["row_key"] for op in ops])
        return ok_push(request)

    sync, store = client_with(tmp_path, server, [])
    for key in ("tax_id", "bank_account", "bad_step", "letterbox_name"):
        store.set_step_status(key, "done")
    sync.sync()
    assert sorted(k for batch in pushed for k in batch) == ["bank_account", "letterbox_name", "tax_id"]
    assert store.pending_outbox() == []  # the queue is not blocked
    assert "bad_step" not in store.statuses()  # undone on this phone
    assert store.rejections() == [
        {"entity": "step_state", "row_key": "bad_step", "field": "status", "code": "value_too_large"}
    ]


def test_reset_required_downloads_everything_again_and_keeps_unsent_writes(tmp_path):
    calls: list[str] = []

    def server(request):
        since = request.url.params.get("since")
        calls.append(since)
        if since != "0":
            return httpx.Response(409, json={"error": {"code": "reset_required", "message": "reset"}})
        change = {
            "entity": "step_state",
            "row_key": "tax_id",
            "field": "status",
            "value": "done",
            "stamp": "0000000001000-00000-other",
            "seq": 9,
        }
        return httpx.Response(200, json={"changes": [change], "cursor": 9, "more": False, "server_time": 1})

    sync, store = client_with(tmp_path, server, [])
    store.apply_remote(
        [
            {
                "entity": "step_state",
                "row_key": "gone",
                "field": "status",
                "value": "done",
                "stamp": "0000000000500-00000-other",
            }
        ],
        5,
    )
    store.set_step_note("bank_account", "unsent")
    assert sync.pull_all() == 1
    assert calls == ["5", "0"]
    assert store.statuses() == {"tax_id": "done"}  # the purged row is gone
    assert store.notes() == {"bank_account": "unsent"} and len(store.pending_outbox()) == 1


def test_every_request_names_the_protocol_version(tmp_path):
    seen: list[str] = []

    def server(request):
        seen.append(request.headers.get("X-Protocol-Version"))
        return httpx.Response(200, json={"changes": [], "cursor": 0, "more": False, "server_time": 1})

    sync, _store = client_with(tmp_path, server, [])
    sync.pull_all()
    assert seen == ["1"]


def test_a_long_note_in_a_non_latin_script_is_refused_before_it_can_block_the_queue(tmp_path):
    store = open_store(tmp_path)
    with pytest.raises(InvalidInputError):
        store.set_step_note("bank_account", "😀" * 1500)  # 1500 characters, 6000 bytes
    store.set_step_note("bank_account", "ø" * 2000)  # 4000 bytes: fits the server's limit
