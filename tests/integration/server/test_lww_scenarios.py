"""Two phones, concrete conflicts: the later stamp wins whatever the arrival order, and edits to
different fields of one step both survive (CouchDB's whole-document winner would lose one)."""

from __future__ import annotations

from services.store import open_store
from services.sync_client import MemoryTokenStore, SyncClient


def family(client, tmp_path):
    a = SyncClient(open_store(tmp_path / "a"), client, MemoryTokenStore(), sleep=lambda _s: None)
    b = SyncClient(open_store(tmp_path / "b"), client, MemoryTokenStore(), sleep=lambda _s: None)
    a.create_household("Ana")
    b.join(a.create_invite()["code"], "Bo")
    return a, b


def state(sync: SyncClient, key: str) -> tuple:
    return sync.store.conn.execute(
        "SELECT status, note FROM step_state WHERE item_key = ?", (key,)
    ).fetchone()


def test_later_write_wins_even_when_it_arrives_first(client, tmp_path):
    a, b = family(client, tmp_path)
    a.store.clock.physical = lambda: 1_000_000  # A's clock is far behind: its edit is older
    a.store.set_step_status("bank_account", "not_relevant")
    b.store.set_step_status("bank_account", "done")  # later (real time)
    b.sync()
    a.push_all()  # the older edit arrives last
    a.sync()
    b.sync()
    assert state(a, "bank_account")[0] == state(b, "bank_account")[0] == "done"


def test_edits_to_different_fields_of_one_step_both_survive(client, tmp_path):
    a, b = family(client, tmp_path)
    a.store.set_step_status("school:c1", "done")
    b.store.set_step_note("school:c1", "Met the teacher on Monday")
    a.sync()
    b.sync()
    a.sync()
    assert state(a, "school:c1") == state(b, "school:c1") == ("done", "Met the teacher on Monday")


def test_a_removed_phone_wipes_the_households_checklist(client, tmp_path):
    a, b = family(client, tmp_path)
    a.store.set_step_status("letterbox_name", "done")
    a.sync()
    b.sync()
    assert state(b, "letterbox_name")[0] == "done"
    members = client.get("/v1/household", headers={"Authorization": f"Bearer {a.tokens.load()}"}).json()
    bo = members["members"][1]["member_id"]
    client.delete(f"/v1/household/members/{bo}", headers={"Authorization": f"Bearer {a.tokens.load()}"})
    import pytest

    from services.sync_client import SyncError

    with pytest.raises(SyncError) as err:
        b.sync()
    assert err.value.code == "removed"
    assert state(b, "letterbox_name") is None
