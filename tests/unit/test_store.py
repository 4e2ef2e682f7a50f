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
from views.messages import ERRORS


def test_pragmas_and_migrations_are_recorded_and_safe_to_rerun(tmp_path):
    store = open_store(tmp_path)
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert migrate(conn) == []  # nothing left to apply
    names = [r[0] for r in conn.execute("SELECT name FROM schema_migrations")]
    assert names == ["0001_initial", "0002_shared_fields"]


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
    assert err.value.code in ERRORS  # a code the views turn into a translated message
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


def remote(entity: str, row_key: str, field: str, value: object, wall_ms: int, device: str = "other") -> dict:
    return {
        "entity": entity,
        "row_key": row_key,
        "field": field,
        "value": value,
        "stamp": f"{wall_ms:013d}-00000-{device}",
    }


def test_assignment_delete_and_undo_delete_are_shared_fields(tmp_path):
    store = open_store(tmp_path)
    store.set_step_status("bank_account", "done")
    store.assign_step("bank_account", "member-1")
    assert store.assignees() == {"bank_account": "member-1"}
    store.set_step_deleted("bank_account", True)
    assert store.statuses() == {}
    store.set_step_deleted("bank_account", False)
    assert store.statuses() == {"bank_account": "done"}
    fields = [(o["entity"], o["field"]) for o in store.pending_outbox()]
    assert fields == [
        ("step_state", "status"),
        ("step_state", "assignee"),
        ("step_state", "deleted"),
        ("step_state", "deleted"),
    ]


def test_remote_household_profile_replaces_a_joiners_answers_but_keeps_the_phones_language(tmp_path):
    store = open_store(tmp_path)
    store.save_profile(make_profile(language="pl", municipality=1804))
    store.yield_profile_to_household()
    household = {k: v for k, v in make_profile(municipality=1833).to_json().items() if k != "language"}
    assert store.apply_remote([remote("household", "main", "profile", household, 1000)], 1) == 1
    profile = store.load_profile()
    assert profile.municipality == 1833 and profile.language == "pl"
    assert not [o for o in store.pending_outbox() if o["entity"] == "household"]


def test_changing_only_the_language_does_not_touch_the_familys_profile(tmp_path):
    store = open_store(tmp_path)
    profile = make_profile(language="en")
    store.save_profile(profile)
    store.save_profile(profile.with_changes(language="uk"))
    assert len([o for o in store.pending_outbox() if o["entity"] == "household"]) == 1
    assert store.load_profile().language == "uk"


def test_unusable_remote_values_are_skipped_and_the_cursor_still_moves(tmp_path):
    store = open_store(tmp_path)
    changes = [
        remote("step_state", "bank_account", "status", "exploded", 1000),
        remote("household", "main", "profile", {"municipality": 42}, 1001),
        remote("step_state", "tax_id", "status", "done", 1002),
        remote("spaceship", "x", "y", 1, 1003),
    ]
    assert store.apply_remote(changes, 7) == 1
    assert store.statuses() == {"tax_id": "done"} and store.sync_cursor() == 7
    assert store.load_profile() is None


def test_who_ticked_comes_from_the_status_stamp_and_the_device_name(tmp_path):
    store = open_store(tmp_path)
    store.apply_remote(
        [
            remote("step_state", "tax_id", "status", "done", 1_700_000_000_000, "phone2"),
            remote("device", "phone2", "name", "Marta", 1_700_000_000_001, "phone2"),
        ],
        2,
    )
    stamp = store.status_stamps()["tax_id"]
    assert store.device_names()[stamp.device] == "Marta" and stamp.wall_ms == 1_700_000_000_000


def test_removal_wipes_the_familys_data_and_a_profile_that_came_from_the_family(tmp_path):
    store = open_store(tmp_path)
    household = {k: v for k, v in make_profile().to_json().items() if k != "language"}
    store.apply_remote(
        [
            remote("household", "main", "profile", household, 1000),
            remote("step_state", "tax_id", "status", "done", 1001),
        ],
        2,
    )
    store.assign_step("tax_id", "m1")
    store.wipe_household_data()
    assert store.statuses() == {} and store.assignees() == {} and store.load_profile() is None
    assert store.sync_cursor() == 0
