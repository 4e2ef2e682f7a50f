"""Superhost through the real API on SQLite and PostgreSQL: certification, suggestions, the visit
lifecycle from request to feedback, privacy, limits, expiry, decline, suspension, block, report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from server.tables import visit_requests
from tests.integration.server.superhost_factories import (
    accept,
    certification,
    coordinator,
    family,
    host,
    request_visit,
)


def move_time(client, request_id: str, **columns) -> None:
    with client.app.state.engine.begin() as conn:
        conn.execute(update(visit_requests).where(visit_requests.c.id == request_id).values(**columns))


def suggested(client, fam) -> list[str]:
    answer = client.get("/v1/seeker/suggestions", headers=fam.auth)
    assert answer.status_code == 200, answer.text
    return [h["first_name"] for h in answer.json()["hosts"]]


def inbox_kinds(client, phone) -> list[str]:
    return [m["kind"] for m in client.get("/v1/inbox", headers=phone.auth).json()["items"]]


def test_a_host_is_suggested_only_once_certified_and_vanishes_when_suspended(client):
    coord = coordinator(client)
    waiting = host(client, None, "Ingrid")
    fam = family(client)
    assert suggested(client, fam) == []
    pending = client.get("/v1/coordinator/hosts", headers=coord.auth).json()["hosts"]
    assert [h["first_name"] for h in pending] == ["Ingrid"]
    assert client.get("/v1/host/requests", headers=waiting.auth).status_code == 403
    client.post(
        f"/v1/coordinator/hosts/{waiting.host_id}/certification", json=certification(), headers=coord.auth
    )
    assert suggested(client, fam) == ["Ingrid"]
    suspended = client.post(
        f"/v1/coordinator/hosts/{waiting.host_id}/suspend", json={"reason": "complaint"}, headers=coord.auth
    )
    assert suspended.status_code == 204
    assert suggested(client, fam) == []
    listed = client.get("/v1/coordinator/hosts?status=suspended", headers=coord.auth).json()["hosts"]
    assert listed[0]["certification"]["code_of_conduct_version"] == "2026-1"


def test_suggestions_rank_the_preferred_language_and_explain_why(client):
    coord = coordinator(client)
    host(client, coord, "Ola", languages=("nb", "en"))
    host(client, coord, "Zofia", languages=("nb", "pl"), children_ages=[4], interests=["outdoors"])
    host(client, coord, "Ahmed", languages=("nb", "ar"))  # no shared language: never suggested
    host(client, coord, "Bodil", municipality=1804, languages=("pl",))  # other municipality
    fam = family(client, interests=["outdoors"])
    answer = client.get("/v1/seeker/suggestions", headers=fam.auth).json()
    assert [h["first_name"] for h in answer["hosts"]] == ["Zofia", "Ola"]
    reasons = {r["code"] for r in answer["hosts"][0]["reasons"]}
    assert {"preferred_language", "children_same_age", "shared_interests"} <= reasons
    assert "address" not in str(answer).lower()


def test_request_accept_confirm_complete_feedback_with_inbox_and_calendar(client):
    coord = coordinator(client)
    h = host(client, coord)
    fam = family(client)
    created = request_visit(client, fam, h.host_id, "We just arrived from Gdańsk.")
    assert created.status_code == 201, created.text
    request_id = created.json()["request_id"]
    assert inbox_kinds(client, h) == ["new_request"]
    assert client.get("/v1/inbox", headers=h.auth).json()["unread"] == 1

    # Before accepting, the host sees first name, municipality, languages, party size, message only.
    seen = client.get("/v1/host/requests", headers=h.auth).json()["requests"][0]
    assert seen["family"] == {"first_name": "Ana", "municipality": 1833, "languages": ["pl", "en"]}
    assert seen["party_size"] == 3 and seen["message"] == "We just arrived from Gdańsk."
    assert seen["actions"] == ["accept", "propose", "decline", "cancel"]

    accepted = accept(client, h, request_id)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["family"]["child_bands"] == 0b010  # after accepting: age bands, never ages
    assert "visit_accepted" in inbox_kinds(client, fam)
    confirmed = client.post(f"/v1/visits/{request_id}/confirm", headers=fam.auth)
    assert confirmed.json()["state"] == "confirmed"

    ics = client.get(f"/v1/visits/{request_id}/ics", headers=fam.auth)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in ics.text and "Rana library" in ics.text and "Ingrid" in ics.text

    early = client.post(f"/v1/visits/{request_id}/complete", headers=h.auth)
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_yet"
    move_time(client, request_id, starts_at=datetime.now(UTC) - timedelta(hours=2))
    assert client.post(f"/v1/visits/{request_id}/complete", headers=h.auth).json()["state"] == "completed"
    for phone, rating in ((fam, 5), (h, 4)):
        given = client.post(f"/v1/visits/{request_id}/feedback", json={"rating": rating}, headers=phone.auth)
        assert given.status_code == 204, given.text
    again = client.post(f"/v1/visits/{request_id}/feedback", json={"rating": 1}, headers=fam.auth)
    assert again.status_code == 409
    read = client.post("/v1/inbox/read", json={"up_to": 10**9}, headers=h.auth)
    assert read.json()["marked"] >= 1 and client.get("/v1/inbox", headers=h.auth).json()["unread"] == 0


def test_a_proposed_time_is_confirmed_by_the_family(client):
    coord = coordinator(client)
    h = host(client, coord)
    fam = family(client)
    request_id = request_visit(client, fam, h.host_id).json()["request_id"]
    proposed = client.post(
        f"/v1/visits/{request_id}/propose",
        json={
            "starts_at": (datetime.now(UTC) + timedelta(days=4)).isoformat(),
            "meeting_place": "Café Kafka",
        },
        headers=h.auth,
    )
    assert proposed.json()["state"] == "proposed"
    assert client.get("/v1/visits", headers=fam.auth).json()["requests"][0]["actions"] == [
        "confirm",
        "cancel",
    ]
    assert client.post(f"/v1/visits/{request_id}/confirm", headers=fam.auth).json()["state"] == "confirmed"


def test_invalid_moves_are_refused_and_change_nothing(client):
    coord = coordinator(client)
    h = host(client, coord)
    fam = family(client)
    request_id = request_visit(client, fam, h.host_id).json()["request_id"]
    for phone, action in ((fam, "accept"), (fam, "confirm"), (h, "confirm"), (h, "complete")):
        answer = client.post(f"/v1/visits/{request_id}/{action}", json={}, headers=phone.auth)
        assert answer.status_code == 409 and answer.json()["error"]["code"] == "invalid_transition"
    assert client.get(f"/v1/visits/{request_id}", headers=fam.auth).json()["state"] == "requested"
    unknown = client.post(f"/v1/visits/{request_id}/teleport", headers=fam.auth)
    assert unknown.status_code == 422


def test_creation_is_idempotent_and_limited_to_three_pending(client):
    coord = coordinator(client)
    hosts = [host(client, coord, f"Host{i}") for i in range(4)]
    fam = family(client)
    first = request_visit(client, fam, hosts[0].host_id, key="same-key-123")
    repeat = request_visit(client, fam, hosts[0].host_id, key="same-key-123")
    assert (first.status_code, repeat.status_code) == (201, 200)
    assert first.json()["request_id"] == repeat.json()["request_id"]
    duplicate = request_visit(client, fam, hosts[0].host_id)
    assert duplicate.status_code == 409 and duplicate.json()["error"]["code"] == "duplicate_request"
    assert request_visit(client, fam, hosts[1].host_id).status_code == 201
    assert request_visit(client, fam, hosts[2].host_id).status_code == 201
    fourth = request_visit(client, fam, hosts[3].host_id)
    assert fourth.status_code == 409 and fourth.json()["error"]["code"] == "too_many_pending"
    assert len(client.get("/v1/visits", headers=fam.auth).json()["requests"]) == 3


def test_a_decline_offers_the_next_host_and_never_the_same_again(client):
    coord = coordinator(client)
    first = host(client, coord, "Zofia", languages=("pl", "nb"))
    host(client, coord, "Ola")
    fam = family(client)
    assert suggested(client, fam)[0] == "Zofia"
    request_id = request_visit(client, fam, first.host_id).json()["request_id"]
    declined = client.post(f"/v1/visits/{request_id}/decline", json={"reason": "Away"}, headers=first.auth)
    assert declined.json()["state"] == "declined"
    assert suggested(client, fam) == ["Ola"]
    assert {"visit_declined", "new_suggestion"} <= set(inbox_kinds(client, fam))
    again = request_visit(client, fam, first.host_id)
    assert again.status_code == 404


def test_an_unanswered_request_expires_and_the_family_is_offered_the_next_host(client):
    coord = coordinator(client)
    silent = host(client, coord, "Zofia", languages=("pl", "nb"))
    host(client, coord, "Ola")
    fam = family(client)
    request_id = request_visit(client, fam, silent.host_id).json()["request_id"]
    move_time(client, request_id, expires_at=datetime.now(UTC) - timedelta(minutes=1))
    assert client.get(f"/v1/visits/{request_id}", headers=fam.auth).json()["state"] in {
        "requested",
        "expired",
    }
    listed = client.get("/v1/visits", headers=fam.auth).json()["requests"]
    assert listed[0]["state"] == "expired"
    assert suggested(client, fam) == ["Ola"]
    assert "expired" in inbox_kinds(client, fam)


def test_no_host_available_gives_a_waitlist_with_group_events_never_an_empty_screen(client):
    coordinator(client)
    with client.app.state.engine.begin() as conn:
        from server.superhost.group_events import seed_reference_events

        seed_reference_events(conn)
    fam = family(client, municipality=1804)
    answer = client.get("/v1/seeker/suggestions", headers=fam.auth).json()
    assert answer["hosts"] == [] and answer["status"] == "waitlisted"
    titles = [e["title"] for e in answer["waitlist"]["events"]]
    assert titles[0] == "Lån en bodøværing"  # the municipality's own first
    assert any(e["uncertain"] for e in answer["waitlist"]["events"])


def test_suspension_cancels_open_visits_and_tells_the_family(client):
    coord = coordinator(client)
    h = host(client, coord)
    fam = family(client)
    request_id = request_visit(client, fam, h.host_id).json()["request_id"]
    accept(client, h, request_id)
    client.post(f"/v1/coordinator/hosts/{h.host_id}/suspend", json={"reason": "report"}, headers=coord.auth)
    assert client.get(f"/v1/visits/{request_id}", headers=fam.auth).json()["state"] == "cancelled"
    assert "host_unavailable" in inbox_kinds(client, fam)
    assert client.get("/v1/host/requests", headers=h.auth).status_code == 403


def test_block_and_report_reach_the_coordinator_and_the_pair_is_never_matched_again(client):
    coord = coordinator(client)
    h = host(client, coord)
    fam = family(client)
    request_id = request_visit(client, fam, h.host_id).json()["request_id"]
    reported = client.post(
        f"/v1/visits/{request_id}/report", json={"reason": "inappropriate", "text": "Rude"}, headers=h.auth
    )
    assert reported.status_code == 201
    assert client.post(f"/v1/visits/{request_id}/block", headers=h.auth).status_code == 204
    assert client.get(f"/v1/visits/{request_id}", headers=fam.auth).json()["state"] == "cancelled"
    assert suggested(client, fam) == []
    queue = client.get("/v1/coordinator/reports", headers=coord.auth).json()["reports"]
    assert [(r["reason"], r["reported_by"]) for r in queue] == [("inappropriate", "host")]
    report_id = queue[0]["report_id"]
    assert client.post(f"/v1/coordinator/reports/{report_id}/handled", headers=coord.auth).status_code == 204
    assert client.get("/v1/coordinator/reports", headers=coord.auth).json()["reports"] == []


def test_a_round_assigns_waiting_families_within_capacity_and_waitlists_the_rest(client):
    coord = coordinator(client)
    h = host(client, coord, visits_per_month=1)
    families = [family(client, f"F{i}") for i in range(3)]
    result = client.post("/v1/coordinator/rounds", headers=coord.auth).json()
    assert (result["households"], result["assigned"], result["waitlisted"]) == (3, 1, 2)
    recommended = [client.get("/v1/seeker/suggestions", headers=f.auth).json()["hosts"][:1] for f in families]
    assert sum(1 for r in recommended if r and r[0]["recommended"]) == 1
    assert all(r == [] or r[0]["host_id"] == h.host_id for r in recommended)


def test_neighbour_allowance_lets_families_meet_hosts_next_door(client):
    coord = coordinator(client)
    host(client, coord, "Hemnes host", municipality=1832)
    fam = family(client)
    assert suggested(client, fam) == []
    allowed = client.put(
        "/v1/coordinator/municipalities/1833/neighbours", json={"neighbours": [1832]}, headers=coord.auth
    )
    assert allowed.status_code == 200
    answer = client.get("/v1/seeker/suggestions", headers=fam.auth).json()["hosts"]
    assert [h["first_name"] for h in answer] == ["Hemnes host"]
    assert {"code": "nearby", "municipality": 1832} in answer[0]["reasons"]


def test_simultaneous_requests_never_exceed_three_pending_and_one_key_makes_one_request(client):
    from concurrent.futures import ThreadPoolExecutor

    coord = coordinator(client)
    hosts = [host(client, coord, f"Host{i}") for i in range(6)]
    fam = family(client)
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda h: request_visit(client, fam, h.host_id), hosts))
    assert sorted(a.status_code for a in answers) == [201, 201, 201, 409, 409, 409]
    other = family(client, "Bo")
    with ThreadPoolExecutor(6) as pool:
        same = list(
            pool.map(lambda _i: request_visit(client, other, hosts[0].host_id, key="one-key-1"), range(6))
        )
    assert sorted(a.status_code for a in same) == [200] * 5 + [201]
    assert len({a.json()["request_id"] for a in same}) == 1


def test_municipality_numbers_on_the_wire_are_the_41_of_the_reference_data():
    from services.host_wire import MUNICIPALITY_NUMBERS
    from services.municipalities import load_municipalities

    assert {m.number for m in load_municipalities()} == MUNICIPALITY_NUMBERS


def test_a_suspension_reaches_every_worker_at_once_despite_the_host_cache(client, database_url):
    """Two API processes (two apps, two engines) on one database: each caches the host directory;
    a suspension through one is seen by the next suggestion through the other."""
    from fastapi.testclient import TestClient

    from server.app import create_app
    from server.settings import Settings

    coord = coordinator(client)
    h = host(client, coord)
    fam = family(client)
    with TestClient(create_app(Settings(database_url=database_url))) as other_worker:

        def names() -> list[str]:
            answer = other_worker.get("/v1/seeker/suggestions", headers=fam.auth).json()
            return [x["first_name"] for x in answer["hosts"]]

        assert names() == ["Ingrid"]  # the other worker has now cached the directory
        client.post(
            f"/v1/coordinator/hosts/{h.host_id}/suspend", json={"reason": "report"}, headers=coord.auth
        )
        assert names() == []
        client.post(
            f"/v1/coordinator/hosts/{h.host_id}/certification", json=certification(), headers=coord.auth
        )
        assert names() == ["Ingrid"]
        client.put(
            "/v1/host",
            json={
                "first_name": "Ingrid",
                "municipality": 1804,
                "languages": ["nb"],
                "visits_per_month": 2,
                "consent": True,
            },
            headers=h.auth,
        )
        assert names() == []  # moved to Bodø


def test_a_meeting_time_keeps_its_moment_whatever_the_offset_it_was_given_in(client):
    """15:30 in Norway (UTC+1 in winter) is 14:30 UTC, on SQLite as on PostgreSQL."""
    coord = coordinator(client)
    h = host(client, coord)
    fam = family(client)
    request_id = request_visit(client, fam, h.host_id).json()["request_id"]
    day = (datetime.now(UTC) + timedelta(days=30)).date()
    oslo = datetime(day.year, day.month, day.day, 15, 30, tzinfo=ZoneInfo("Europe/Oslo"))
    accepted = client.post(
        f"/v1/visits/{request_id}/accept",
        json={"starts_at": oslo.isoformat(), "meeting_place": "Rana library"},
        headers=h.auth,
    )
    assert accepted.status_code == 200, accepted.text
    stored = client.get(f"/v1/visits/{request_id}", headers=fam.auth).json()["starts_at"]
    assert datetime.fromisoformat(stored.replace("Z", "+00:00")) == oslo


def test_a_family_waiting_for_an_answer_is_not_put_on_the_waiting_list(client):
    coord = coordinator(client)
    h = host(client, coord)
    fam = family(client)
    request_visit(client, fam, h.host_id)
    answer = client.get("/v1/seeker/suggestions", headers=fam.auth).json()
    assert answer["hosts"] == [] and answer["open_requests"] == 1
    assert "waitlist" not in answer and answer["status"] != "waitlisted"
