"""The local database: durable settings, named re-runnable migrations, outbox, bad input, damage."""

from __future__ import annotations

import json
import sqlite3

import pytest

from services.store import (
    DB_FILE_NAME,
    InvalidInputError,
    StoreCorruptError,
    migrate,
    open_store,
    salvage_export,
    start_fresh,
)
from tests.conftest import make_child, make_profile


def test_pragmas_and_migrations_are_recorded_and_safe_to_rerun(tmp_path):
    store = open_store(tmp_path)
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert migrate(conn) == []  # nothing left to apply
    names = [r[0] for r in conn.execute("SELECT name FROM schema_migrations")]
    assert names == ["0001_initial"]


def test_a_tick_writes_field_stamp_and_outbox_in_one_transaction(tmp_path):
    store = open_store(tmp_path)
    store.set_step_status("letterbox_name", "done")
    row = store.conn.execute("SELECT status, status_stamp FROM step_state").fetchone()
    assert row[0] == "done" and row[1]
    outbox = store.pending_outbox()
    assert [(o["row_key"], o["field"], json.loads(o["value"])) for o in outbox] == [
        ("letterbox_name", "status", "done")
    ]
    assert outbox[0]["stamp"] == row[1]
    store.close()
    assert open_store(tmp_path).statuses() == {"letterbox_name": "done"}


def test_outbox_counters_and_stamps_increase(tmp_path):
    store = open_store(tmp_path)
    for status in ("done", "todo", "not_relevant"):
        store.set_step_status("bank_account", status)
    outbox = store.pending_outbox()
    assert [o["counter"] for o in outbox] == [1, 2, 3]
    assert [o["stamp"] for o in outbox] == sorted(o["stamp"] for o in outbox)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.set_step_status("letterbox_name", "finished"),
        lambda s: s.set_step_status("", "done"),
        lambda s: s.set_step_note("letterbox_name", "x" * 2001),
        lambda s: s.save_profile(make_profile(group="martian")),
        lambda s: s.save_profile(make_profile(children=(make_child(birth_month=13),))),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(tmp_path, call):
    store = open_store(tmp_path)
    with pytest.raises(InvalidInputError) as err:
        call(store)
    assert err.value.message  # an English msgid the views translate
    assert store.pending_outbox() == []
    assert store.statuses() == {} and store.load_profile() is None


def test_profile_round_trip(tmp_path):
    store = open_store(tmp_path)
    profile = make_profile(children=(make_child(),), partner=True)
    store.save_profile(profile)
    assert open_store(tmp_path).load_profile() == profile


def test_damaged_database_raises_and_recovery_keeps_the_file_aside(tmp_path):
    store = open_store(tmp_path)
    store.set_step_status("letterbox_name", "done")
    store.close()
    (tmp_path / DB_FILE_NAME).write_bytes(b"this is not a database" * 200)
    with pytest.raises(StoreCorruptError):
        open_store(tmp_path)
    exported = salvage_export(tmp_path)
    assert exported["format"] == "ny-i-nordland-export"
    kept = start_fresh(tmp_path)
    assert kept is not None and kept.exists()
    assert open_store(tmp_path).statuses() == {}


def test_export_contains_everything_stored(tmp_path):
    store = open_store(tmp_path)
    store.save_profile(make_profile())
    store.set_step_note("bank_account", "Ask about BankID")
    data = store.export_data()
    assert data["tables"]["step_state"][0]["note"] == "Ask about BankID"
    assert json.loads(data["tables"]["profile"][0]["data"])["municipality"] == 1804
    json.dumps(data)  # JSON-ready


def test_database_file_is_a_real_sqlite_file(tmp_path):
    open_store(tmp_path).set_step_status("letterbox_name", "done")
    assert sqlite3.connect(tmp_path / DB_FILE_NAME).execute("SELECT count(*) FROM outbox").fetchone() == (1,)
