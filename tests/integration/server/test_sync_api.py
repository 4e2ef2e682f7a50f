"""Push and pull through the HTTP API on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server.tables import metadata


def test_every_response_carries_server_time(client):
    response = client.get("/v1/health")
    assert response.status_code == 200
    assert int(response.headers["X-Server-Time"]) > 0 and response.json()["server_time"] > 0


def test_register_create_household_push_and_pull(phone):
    ops = [phone.op("letterbox_name", "status", "done"), phone.op("bank_account", "note", "Ask about BankID")]
    pushed = phone.push(ops)
    assert pushed.status_code == 200, pushed.text
    assert pushed.json()["acked_counter"] == 2 and pushed.json()["applied"] == 2
    pulled = phone.pull().json()
    assert [(c["row_key"], c["field"], c["value"]) for c in pulled["changes"]] == [
        ("letterbox_name", "status", "done"),
        ("bank_account", "note", "Ask about BankID"),
    ]
    assert pulled["cursor"] == 2 and pulled["more"] is False


def test_a_retried_push_has_exactly_one_effect(phone):
    ops = [phone.op("letterbox_name", "status", "done")]
    assert phone.push(ops).json()["applied"] == 1
    again = phone.push(ops).json()  # the acknowledgement was lost: the phone sends it again
    assert again == {**again, "acked_counter": 1, "applied": 0}
    assert len(phone.pull().json()["changes"]) == 1


def test_a_retry_racing_its_first_push_still_has_exactly_one_effect(phone):
    # Both requests may read the device's counter before either commits: the second one applies
    # nothing that the first applied (same stamps), and the counter ends at the batch's last.
    ops = [phone.op(f"step-{i}", "status", "done") for i in range(40)]
    with ThreadPoolExecutor(4) as pool:
        answers = [a.json() for a in pool.map(lambda _: phone.push(ops), range(4))]
    assert sum(a["applied"] for a in answers) == 40
    assert {a["acked_counter"] for a in answers} == {40}
    assert len(phone.pull().json()["changes"]) == 40
    assert phone.push([phone.op("step-0", "status", "todo")]).json()["applied"] == 1


def test_per_field_last_writer_wins_keeps_edits_to_different_fields(phone):
    phone.push([phone.op("school:c1", "status", "done", physical_ms=2_000_000)])
    phone.push([phone.op("school:c1", "note", "Met the teacher", physical_ms=2_000_001)])
    late = phone.op("school:c1", "status", "todo")
    late["stamp"] = "0000000000001-00000-zzz"  # an older write that arrives late loses
    assert phone.push([late]).json()["applied"] == 0
    values = {(c["field"]): c["value"] for c in phone.pull().json()["changes"]}
    assert values == {"status": "done", "note": "Met the teacher"}


def test_pull_pages_through_changes_with_a_cursor(phone):
    phone.push([phone.op(f"step-{i}", "status", "done") for i in range(25)])
    seen, cursor, pages = [], 0, 0
    while True:
        page = phone.pull(since=cursor, limit=10).json()
        seen += [c["row_key"] for c in page["changes"]]
        cursor, pages = page["cursor"], pages + 1
        if not page["more"]:
            break
    assert pages == 3 and seen == [f"step-{i}" for i in range(25)]
    assert phone.pull(since=cursor).json()["changes"] == []


def test_migrations_match_the_table_definitions(client):
    engine = client.app.state.engine
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
