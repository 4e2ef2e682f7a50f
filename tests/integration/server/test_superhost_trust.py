"""Superhost abuse limits and the coordinators' accountability: a host's capacity holds against
many new households, one open report per side per visit, a renamed or moved host is checked
again, nobody certifies their own host profile, and every coordinator action is in the audit log."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.integration.server import superhost_factories as make
from tests.integration.server.conftest import Phone


def _request(client, family: Phone, host_id: str, key: str):
    headers = {**family.auth, "Idempotency-Key": key}
    return client.post("/v1/visits", json={"host_id": host_id, "message": "Hi"}, headers=headers)


def test_twenty_new_households_cannot_overrun_a_host_of_capacity_one(client):
    coord = make.coordinator(client)
    host = make.host(client, coord, visits_per_month=1)
    families = [make.family(client) for _ in range(20)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(lambda f: _request(client, f[1], host.host_id, f"key-{f[0]:04d}"), enumerate(families))
        )
    codes = sorted(a.status_code for a in answers)
    assert codes.count(201) == 1, codes
    assert all(a.json()["error"]["code"] == "host_full" for a in answers if a.status_code != 201)
    assert len(client.get("/v1/host/requests", headers=host.auth).json()["requests"]) == 1


def test_a_host_gets_at_most_five_new_requests_a_day(client):
    coord = make.coordinator(client)
    host = make.host(client, coord, visits_per_month=8)
    answers = [_request(client, make.family(client), host.host_id, f"day-{i:04d}") for i in range(7)]
    assert [a.status_code for a in answers] == [201] * 5 + [409, 409]


def test_one_open_report_per_side_per_visit(client):
    coord = make.coordinator(client)
    host = make.host(client, coord)
    family = make.family(client)
    visit = _request(client, family, host.host_id, "report-0001").json()["request_id"]
    first = client.post(f"/v1/visits/{visit}/report", json={"reason": "spam"}, headers=family.auth)
    assert first.status_code == 201
    again = client.post(f"/v1/visits/{visit}/report", json={"reason": "other"}, headers=family.auth)
    assert again.status_code == 409 and again.json()["error"]["code"] == "report_open"
    # The other side may still report; once handled, the family may report again.
    assert (
        client.post(f"/v1/visits/{visit}/report", json={"reason": "spam"}, headers=host.auth).status_code
        == 201
    )
    handled = client.post(f"/v1/coordinator/reports/{first.json()['report_id']}/handled", headers=coord.auth)
    assert handled.status_code == 204
    assert (
        client.post(f"/v1/visits/{visit}/report", json={"reason": "other"}, headers=family.auth).status_code
        == 201
    )


def test_a_renamed_or_moved_host_waits_for_a_new_check(client):
    coord = make.coordinator(client)
    host = make.host(client, coord, name="Ingrid")
    profile = client.get("/v1/host", headers=host.auth).json()
    assert profile["status"] == "certified"
    body = {k: profile[k] for k in ("first_name", "municipality", "languages", "visits_per_month")}
    body["consent"] = True
    same = client.put("/v1/host", json={**body, "introduction": "New words"}, headers=host.auth)
    assert same.json()["status"] == "certified"  # not material
    moved = client.put("/v1/host", json={**body, "municipality": 1804}, headers=host.auth)
    assert moved.json()["status"] == "pending"
    host2 = make.host(client, coord, name="Ola")
    body2 = {**body, "first_name": "Ola"}
    renamed = client.put("/v1/host", json={**body2, "first_name": "Olav"}, headers=host2.auth)
    assert renamed.json()["status"] == "pending"


def test_no_coordinator_certifies_their_own_host_profile(client):
    coord = make.coordinator(client)
    profile = {
        "first_name": "Kari",
        "municipality": 1833,
        "languages": ["nb"],
        "visits_per_month": 2,
        "consent": True,
    }
    own = client.put("/v1/host", json=profile, headers=coord.auth).json()["host_id"]
    r = client.post(
        f"/v1/coordinator/hosts/{own}/certification", json=make.certification(), headers=coord.auth
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "own_host_profile"
    other = make.coordinator(client, "Per")
    r = client.post(
        f"/v1/coordinator/hosts/{own}/certification", json=make.certification(), headers=other.auth
    )
    assert r.status_code == 201


def test_coordinator_actions_are_in_the_audit_log_for_every_coordinator(client):
    kari = make.coordinator(client, "Kari")
    per = make.coordinator(client, "Per")
    host = make.host(client, kari)
    client.post(
        f"/v1/coordinator/hosts/{host.host_id}/suspend", json={"reason": "complaint"}, headers=per.auth
    )
    client.put(
        "/v1/coordinator/municipalities/1833/neighbours", json={"neighbours": [1832]}, headers=kari.auth
    )
    actions = client.get("/v1/coordinator/audit", headers=per.auth).json()["actions"]
    seen = [(a["coordinator"], a["action"], a["target"]) for a in actions]
    assert seen[:3] == [
        ("Kari", "set_neighbours", "1833"),
        ("Per", "suspend_host", host.host_id),
        ("Kari", "certify_host", host.host_id),
    ]
    assert {("Kari", "enrol_device"), ("Per", "enrol_device")} <= {(c, a) for c, a, _ in seen}
    assert "complaint" not in str(actions)  # no free text from the action: ids and short facts only
