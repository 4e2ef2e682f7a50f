"""Bad input to the Superhost endpoints: a clear 4xx code, and nothing stored or changed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.integration.server.superhost_factories import (
    certification,
    coordinator,
    family,
    host,
    request_visit,
)


@pytest.fixture
def scene(client):
    coord = coordinator(client)
    return client, coord, host(client, coord), family(client)


def visits_of(client, fam) -> list:
    return client.get("/v1/visits", headers=fam.auth).json()["requests"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"host_id": "0" * 32, "message": "Hi"}, 404, "host_not_found"),
        ({"host_id": "HOST", "message": "x" * 501}, 422, "invalid_request"),
        ({"host_id": "HOST", "message": 42}, 422, "invalid_request"),
        ({"host_id": "HOST", "party_size": 0}, 422, "invalid_request"),
        ({"host_id": "HOST", "address": "Storgata 1"}, 422, "invalid_request"),
    ],
)
def test_bad_visit_requests_are_refused_and_nothing_is_stored(scene, body, status, code):
    client, _coord, h, fam = scene
    body = {k: (h.host_id if v == "HOST" else v) for k, v in body.items()}
    answer = client.post("/v1/visits", json=body, headers={**fam.auth, "Idempotency-Key": "bad-input-1"})
    assert (answer.status_code, answer.json()["error"]["code"]) == (status, code), answer.text
    assert visits_of(client, fam) == []
    assert client.get("/v1/inbox", headers=h.auth).json()["items"] == []


def test_malformed_json_and_missing_idempotency_key(scene):
    client, _coord, h, fam = scene
    broken = client.post(
        "/v1/visits",
        content=b'{"host_id": ',
        headers={**fam.auth, "Idempotency-Key": "bad-input-2", "Content-Type": "application/json"},
    )
    assert broken.status_code == 422
    keyless = client.post("/v1/visits", json={"host_id": h.host_id}, headers=fam.auth)
    assert keyless.status_code == 400 and keyless.json()["error"]["code"] == "idempotency_key_required"
    assert visits_of(client, fam) == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (
            {"starts_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(), "meeting_place": "Library"},
            "time_in_past",
        ),
        (
            {"starts_at": (datetime.now(UTC) + timedelta(days=400)).isoformat(), "meeting_place": "Library"},
            "time_too_far",
        ),
        (
            {
                "starts_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
                "meeting_place": "Storgata 12",
            },
            "not_public_place",
        ),
        ({"starts_at": (datetime.now(UTC) + timedelta(days=1)).isoformat()}, "time_and_place_required"),
        ({"starts_at": "2027-01-01T10:00:00", "meeting_place": "Library"}, "invalid_request"),  # no time zone
        ({"starts_at": "tomorrow", "meeting_place": "Library"}, "invalid_request"),
    ],
)
def test_bad_times_and_places_are_refused_and_the_request_stays_as_it_was(scene, body, code):
    client, _coord, h, fam = scene
    request_id = request_visit(client, fam, h.host_id).json()["request_id"]
    answer = client.post(f"/v1/visits/{request_id}/accept", json=body, headers=h.auth)
    assert answer.status_code == 422 and answer.json()["error"]["code"] == code, answer.text
    visit = client.get(f"/v1/visits/{request_id}", headers=fam.auth).json()
    assert (visit["state"], visit["starts_at"], visit["meeting_place"]) == ("requested", None, None)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"languages": ["xx"]}, "unknown_language"),
        ({"languages": []}, "invalid_request"),
        ({"municipality": 301}, "unknown_municipality"),
        ({"interests": ["skydiving"]}, "unknown_interest"),
        ({"visits_per_month": 0}, "invalid_request"),
        ({"introduction": "x" * 501}, "invalid_request"),
        ({"first_name": "   "}, "first_name_required"),
        ({"availability": -1}, "invalid_request"),
    ],
)
def test_bad_host_profiles_are_refused_and_the_profile_is_unchanged(scene, change, code):
    client, _coord, h, _fam = scene
    before = client.get("/v1/host", headers=h.auth).json()
    body = {
        "first_name": "Ingrid",
        "municipality": 1833,
        "languages": ["nb"],
        "visits_per_month": 2,
        "consent": True,
        **change,
    }
    answer = client.put("/v1/host", json=body, headers=h.auth)
    assert answer.status_code == 422 and answer.json()["error"]["code"] == code, answer.text
    after = client.get("/v1/host", headers=h.auth).json()
    assert {k: v for k, v in after.items() if k != "server_time"} == {
        k: v for k, v in before.items() if k != "server_time"
    }


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"valid_until": str(date.today() + timedelta(days=3 * 366 + 1))}, "valid_too_long"),
        ({"valid_until": str(date.today() - timedelta(days=1))}, "valid_until_past"),
        ({"interviewed_on": str(date.today() + timedelta(days=1))}, "date_in_future"),
        ({"police_certificate_seen_on": "not a date"}, "invalid_request"),
        ({"police_certificate_copy": "base64..."}, "invalid_request"),  # never a copy
    ],
)
def test_bad_certifications_are_refused_and_the_host_stays_pending(scene, change, code):
    client, coord, _h, _fam = scene
    waiting = host(client, None, "Per")
    answer = client.post(
        f"/v1/coordinator/hosts/{waiting.host_id}/certification",
        json={**certification(), **change},
        headers=coord.auth,
    )
    assert answer.status_code == 422 and answer.json()["error"]["code"] == code, answer.text
    assert client.get("/v1/host", headers=waiting.auth).json()["status"] == "pending"


def test_unknown_objects_answer_404(scene):
    client, coord, _h, fam = scene
    missing = "f" * 32
    assert client.get(f"/v1/visits/{missing}", headers=fam.auth).status_code == 404
    assert (
        client.post(
            f"/v1/coordinator/hosts/{missing}/suspend", json={"reason": "x"}, headers=coord.auth
        ).status_code
        == 404
    )
    assert client.post(f"/v1/coordinator/reports/{missing}/handled", headers=coord.auth).status_code == 404
    assert (
        client.post("/v1/coordinator/enrol", json={"code": "AAAA-BBBB-CCCC"}, headers=fam.auth).status_code
        == 404
    )
