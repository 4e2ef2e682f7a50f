"""Convergence (DESIGN's sync contract), through the real server code and real phone stores:
3 devices, random offline edits of the same and different fields, deletes and undo-deletes, lost
acknowledgements (duplicate pushes), clock skew within the server's window and clock jumps of up
to two days (refused, rewound and re-stamped), and small paged pulls. At the end every device
equals the server equals an order-independent fold of all ops as the server applied them (per
field, the value with the highest stamp). CI runs 40 examples of up to 30 steps."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import select

from server.app import create_app
from server.settings import Settings
from server.tables import field_values
from services.store import open_store
from services.sync_client import MemoryTokenStore, SyncClient

DEVICES = 3
ROWS = ["letterbox_name", "bank_account", "school:c1"]
NOTES = ["", "Ask about BankID", "Bring passport", "Done by Bo"]


class FamilySync(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        root = Path(self.tmp.name)
        self.http = TestClient(create_app(Settings(database_url=f"sqlite:///{root / 'server.db'}")))
        self.http.__enter__()
        self.stores = [open_store(root / f"phone{i}") for i in range(DEVICES)]
        self.clients = [
            SyncClient(s, self.http, MemoryTokenStore(), sleep=lambda _s: None) for s in self.stores
        ]
        self.clients[0].create_household("Ana")
        for client in self.clients[1:]:  # each joins with its own single-use invite
            client.join(self.clients[0].create_invite()["code"], "Bo")
        # Every op as the server applied it (row, field, stamp, json value), seen on the wire: a
        # re-stamped op counts with the stamp it was applied with.
        self.ops: list[tuple[str, str, str, str]] = []
        self.own_latest: list[dict[tuple[str, str], str]] = [{} for _ in range(DEVICES)]
        for device, (store, client) in enumerate(zip(self.stores, self.clients, strict=True)):
            client.push_batch = self._recording_push(device, client.push_batch)
            store.rewind_clock = self._tracking_rewind(device, store.rewind_clock)
        self.applied_counter = [0] * DEVICES

    def teardown(self) -> None:
        self.http.__exit__(None, None, None)
        for s in self.stores:
            s.close()
        self.tmp.cleanup()

    def _recording_push(self, device: int, push_batch):  # noqa: ANN001, ANN202 - test wrapper
        def push(rows):  # noqa: ANN001, ANN202
            result = push_batch(rows)
            # Succeeded: what was sent last (after any re-stamp) is now applied, once per counter.
            sent = self.stores[device].pending_outbox(limit=len(rows))
            for row in sent:
                if row["counter"] > self.applied_counter[device]:
                    self.ops.append((row["row_key"], row["field"], row["stamp"], row["value"]))
            if sent:
                self.applied_counter[device] = max(self.applied_counter[device], sent[-1]["counter"])
            return result

        return push

    def _tracking_rewind(self, device: int, rewind):  # noqa: ANN001, ANN202 - test wrapper
        def tracked() -> None:
            rewind()
            for row in self.stores[device].pending_outbox():
                self.own_latest[device][(row["row_key"], row["field"])] = row["stamp"]

        return tracked

    def _record_last_write(self, device: int) -> None:
        row = self.stores[device].pending_outbox()[-1]
        self.own_latest[device][(row["row_key"], row["field"])] = row["stamp"]

    @rule(
        device=st.integers(0, DEVICES - 1),
        row=st.sampled_from(ROWS),
        status=st.sampled_from(["todo", "done", "not_relevant"]),
    )
    def tick_offline(self, device: int, row: str, status: str) -> None:
        self.stores[device].set_step_status(row, status)
        self._record_last_write(device)

    @rule(device=st.integers(0, DEVICES - 1), row=st.sampled_from(ROWS), note=st.sampled_from(NOTES))
    def annotate_offline(self, device: int, row: str, note: str) -> None:
        self.stores[device].set_step_note(row, note)
        self._record_last_write(device)

    @rule(device=st.integers(0, DEVICES - 1), row=st.sampled_from(ROWS), deleted=st.booleans())
    def delete_or_undo_delete_offline(self, device: int, row: str, deleted: bool) -> None:
        self.stores[device].set_step_deleted(row, deleted)
        self._record_last_write(device)

    @rule(device=st.integers(0, DEVICES - 1), skew_ms=st.integers(-120_000, 120_000))
    def clock_skew(self, device: int, skew_ms: int) -> None:
        """The phone's own clock goes wrong (the server's time corrects it on the next request)."""
        self.stores[device].clock.physical = lambda: int(time.time() * 1000) + skew_ms

    @rule(device=st.integers(0, DEVICES - 1), jump_ms=st.integers(10 * 60_000, 2 * 86_400_000))
    def clock_jumps_ahead(self, device: int, jump_ms: int) -> None:
        """Far beyond the server's window: writes are refused until the phone rewinds and re-stamps."""
        self.stores[device].clock.physical = lambda: int(time.time() * 1000) + jump_ms

    @rule(device=st.integers(0, DEVICES - 1), page=st.integers(1, 4))
    def sync(self, device: int, page: int) -> None:
        self.clients[device].sync(page_size=page)

    @rule(device=st.integers(0, DEVICES - 1), page=st.integers(1, 4))
    def pull_while_pushes_wait(self, device: int, page: int) -> None:
        """Downloads work while uploads wait (or fail): pulled values must not beat newer local ones."""
        self.clients[device].pull_all(page_size=page)

    @precondition(lambda self: any(s.pending_outbox() for s in self.stores))
    @rule(device=st.integers(0, DEVICES - 1))
    def push_but_lose_the_acknowledgement(self, device: int) -> None:
        # The server applies the batch but the answer never arrives: the outbox keeps the ops
        # and the next sync pushes them again.
        self._push_once(device)

    def _push_once(self, device: int) -> None:
        """POST the waiting ops without acknowledging them locally."""
        rows = self.stores[device].pending_outbox(limit=500)
        if rows:
            self.clients[device].push_batch(rows)

    @invariant()
    def a_phone_never_shows_older_than_its_own_last_write(self) -> None:
        for device, store in enumerate(self.stores):
            for (row, field), stamp in self.own_latest[device].items():
                if field == "deleted":
                    local = store.conn.execute(
                        "SELECT stamp FROM shared_field WHERE entity = 'step_state' AND row_key = ?"
                        " AND field = 'deleted'",
                        (row,),
                    ).fetchone()
                else:
                    local = store.conn.execute(
                        f"SELECT {field}_stamp FROM step_state WHERE item_key = ?", (row,)
                    ).fetchone()
                assert local is not None and local[0] >= stamp, (device, row, field)

    @invariant()
    def outbox_never_loses_unacknowledged_writes(self) -> None:
        for store in self.stores:
            counters = [r["counter"] for r in store.pending_outbox()]
            assert counters == sorted(set(counters))

    def teardown_check(self) -> None:
        for _ in range(2):
            for client in self.clients:
                client.sync(page_size=3)
        fold: dict[tuple[str, str], tuple[str, object]] = {}
        for row, field, stamp, value in self.ops:
            if (row, field) not in fold or stamp > fold[(row, field)][0]:
                fold[(row, field)] = (stamp, json.loads(value))
        expected = {k: v for k, (_, v) in fold.items()}
        with self.http.app.state.engine.connect() as conn:
            server = {(r.row_key, r.field): json.loads(r.value) for r in conn.execute(select(field_values))}
        assert server == expected
        for store in self.stores:
            local = {}
            for r in store.conn.execute(
                "SELECT item_key, status, status_stamp, note, note_stamp FROM step_state"
            ):
                if r[2] is not None:
                    local[(r[0], "status")] = r[1]
                if r[4] is not None:
                    local[(r[0], "note")] = r[3]
            for row, field, value in store.conn.execute(
                "SELECT row_key, field, value FROM shared_field WHERE entity = 'step_state'"
            ):
                local[(row, field)] = json.loads(value)
            assert local == expected
            deleted = {row for (row, field), v in expected.items() if field == "deleted" and v}
            assert not deleted & set(store.statuses())  # a deleted row's status no longer counts


def _run_with_final_check(self: FamilySync) -> None:
    try:
        self.teardown_check()
    finally:
        FamilySync._original_teardown(self)


FamilySync._original_teardown = FamilySync.teardown
FamilySync.teardown = _run_with_final_check

TestFamilySync = FamilySync.TestCase
TestFamilySync.settings = settings(
    max_examples=40,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
