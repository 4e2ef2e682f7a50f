"""The sync client's transport rules: backoff with jitter, Retry-After, nothing unsent dropped.
The network is simulated with httpx's own MockTransport (the failure, not the component)."""

from __future__ import annotations

import httpx
import pytest

from services.store import open_store
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
