"""The retention schedule: one purge removes what has outlived its period and keeps the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from server import retention
from server.tables import (
    devices,
    households,
    inbox,
    invites,
    members,
    redemption_attempts,
    reports,
    visit_requests,
)
from tests.integration.server import superhost_factories as make
from tests.integration.server.conftest import Phone


def _count(client, table) -> int:
    with client.app.state.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _age(client, table, column, by: timedelta) -> None:
    """Move every row's `column` back in time by `by`."""
    with client.app.state.engine.begin() as conn:
        conn.execute(update(table).values({column: datetime.now(UTC) - by}))


def _purge(client, when: datetime | None = None) -> dict[str, int]:
    with client.app.state.engine.begin() as conn:
        return retention.purge_expired(conn, when or datetime.now(UTC))


def test_old_attempts_invites_and_inbox_go_and_recent_ones_stay(client):
    family = make.family(client)
    client.post("/v1/invites/redeem", json={"code": "AAAA-BBBB-CCCC"}, headers=Phone(client).auth)
    client.post("/v1/invites", headers=family.auth)
    assert _purge(client)["redemption_attempts"] == 0 and _count(client, invites) == 1
    later = datetime.now(UTC) + timedelta(days=40)  # the invite expired 37 days before
    gone = _purge(client, later)
    assert gone["redemption_attempts"] == 1 and gone["invites"] == 1
    assert _count(client, redemption_attempts) == 0 and _count(client, invites) == 0


def test_ended_visits_go_after_a_year_unless_a_report_is_kept(client):
    coord = make.coordinator(client)
    host = make.host(client, coord, visits_per_month=4)
    family = make.family(client)
    ids = []
    for key in ("ret-00001", "ret-00002"):
        headers = {**family.auth, "Idempotency-Key": key}
        ids.append(
            client.post("/v1/visits", json={"host_id": host.host_id}, headers=headers).json()["request_id"]
        )
        client.post(f"/v1/visits/{ids[-1]}/cancel", headers=family.auth)
    client.post(f"/v1/visits/{ids[1]}/report", json={"reason": "spam"}, headers=host.auth)
    assert _purge(client)["visits"] == 0
    _age(client, visit_requests, "updated_at", timedelta(days=400))
    assert _purge(client)["visits"] == 1  # the reported one stays while its report is kept
    assert _count(client, visit_requests) == 1 and _count(client, inbox) > 0
    # A handled report is kept two years, then the visit can go too.
    report_id = client.get("/v1/coordinator/reports", headers=coord.auth).json()["reports"][0]["report_id"]
    client.post(f"/v1/coordinator/reports/{report_id}/handled", headers=coord.auth)
    _age(client, reports, "handled_at", timedelta(days=800))
    gone = _purge(client)
    assert gone["reports"] == 1 and gone["visits"] == 1 and _count(client, visit_requests) == 0


def test_removed_members_unused_devices_and_empty_households_go(client):
    owner = make.family(client)
    erased = client.delete("/v1/me", headers=owner.auth).json()["erased"]
    assert erased["household"] is True
    Phone(client)  # a phone that registered and never joined anything
    assert _purge(client)["removed_members"] == 0
    _age(client, members, "removed_at", timedelta(days=31))
    _age(client, devices, "revoked_at", timedelta(days=31))
    _age(client, devices, "token_issued_at", timedelta(days=91))
    gone = _purge(client)
    assert gone["removed_members"] == 1 and gone["devices"] == 2 and gone["empty_households"] == 1
    assert _count(client, households) == 0 and _count(client, members) == 0 and _count(client, devices) == 0


def test_a_device_in_use_is_never_purged(client):
    make.family(client)
    coord = make.coordinator(client)
    make.host(client, coord)
    _age(client, devices, "token_issued_at", timedelta(days=400))
    assert _purge(client)["devices"] == 0 and _count(client, devices) == 3
