"""Sync quota per household (rows and bytes): a push beyond it is refused whole with 413
`household_full` and stores nothing; edits of what is stored go on; the real phone client shares
what fits and undoes the rest with the reason. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from services.store import open_store
from services.sync_client import MemoryTokenStore, SyncClient
from tests.integration.server.conftest import Phone


@pytest.fixture
def small(database_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, household_max_rows=10, household_max_bytes=2_000)
    with TestClient(create_app(settings)) as client:
        yield client


def family(client: TestClient) -> Phone:
    phone = Phone(client)
    phone.create_household()
    return phone


def stored(phone: Phone) -> dict[tuple[str, str], object]:
    return {(c["row_key"], c["field"]): c["value"] for c in phone.pull().json()["changes"]}


def test_a_push_beyond_the_row_quota_is_refused_whole_and_stores_nothing(small):
    ana = family(small)
    assert ana.push([ana.op(f"step_{n}", "status", "done") for n in range(10)]).status_code == 200
    before = stored(ana)
    refused = ana.push([ana.op("step_a", "status", "done"), ana.op("step_b", "status", "done")])
    assert refused.status_code == 413
    assert refused.json()["error"]["code"] == "household_full"
    assert stored(ana) == before
    # Changing what is stored still works: it takes no new row.
    assert ana.push([ana.op("step_3", "status", "todo")]).json()["applied"] == 1
    # Another family has its own quota.
    bo = family(small)
    assert bo.push([bo.op("step_x", "status", "done")]).status_code == 200


def test_the_byte_quota_counts_what_is_stored_not_every_edit_ever_made(small):
    ana = family(small)
    note = "n" * 600
    assert ana.push([ana.op("step_1", "note", note), ana.op("step_2", "note", note)]).status_code == 200
    # Editing one note forty times writes far more than 2,000 bytes, but stores only one note.
    for n in range(40):
        assert ana.push([ana.op("step_1", "note", f"{n}" + note[1:])]).status_code == 200
    third = ana.push([ana.op("step_3", "note", note), ana.op("step_4", "note", note)])
    assert third.status_code == 413 and third.json()["error"]["code"] == "household_full"
    assert ana.push([ana.op("step_3", "note", "short")]).status_code == 200


def test_the_phone_shares_what_fits_and_undoes_the_rest_with_the_reason(small, tmp_path):
    store = open_store(tmp_path)
    client = SyncClient(store, small, MemoryTokenStore(), sleep=lambda _s: None)
    client.create_household("Ana")
    for n in range(12):
        store.set_step_status(f"step_{n:02d}", "done")
    client.push_all()
    assert store.pending_outbox() == []
    rejected = store.rejections()
    assert rejected and {r["code"] for r in rejected} == {"household_full"}
    shared = {
        (c["row_key"], c["field"])
        for c in client.http.get(
            "/v1/sync/pull", params={"since": 0}, headers={"Authorization": f"Bearer {client.tokens.load()}"}
        ).json()["changes"]
    }
    assert len(shared) == 10  # exactly what the quota holds went to the family
    assert len(shared) + len(rejected) >= 12
