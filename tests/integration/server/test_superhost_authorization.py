"""Superhost authorization: every endpoint × {anonymous, bad token, family A, family B, host A,
host B, uncertified host, coordinator, revoked phone}. The other side's objects answer 404, an
uncertified host gets nothing, only a coordinator certifies, a revoked phone gets 401."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from server.superhost.coordinators import create_coordinator
from tests.integration.server.conftest import Phone
from tests.integration.server.superhost_factories import (
    certification,
    coordinator,
    family,
    host,
    request_visit,
    soon,
)

CALLERS = (
    "anonymous",
    "bad_token",
    "family_a",
    "family_b",
    "host_a",
    "host_b",
    "uncertified",
    "coordinator",
    "revoked",
)


@dataclass
class World:
    client: TestClient
    phones: dict[str, Phone]
    request_id: str  # family A → host A, state "requested"
    report_id: str
    uncertified_host_id: str
    host_b_id: str

    def headers(self, caller: str) -> dict[str, str]:
        if caller == "bad_token":
            return {"Authorization": "Bearer not-a-token"}
        phone = self.phones.get(caller)
        return phone.auth if phone else {}


def build_world(client: TestClient) -> World:
    coord = coordinator(client)
    host_a = host(client, coord, "Ingrid")
    host_b = host(client, coord, "Bodil")
    host_c = host(client, coord, "Cecilie")  # nobody has asked her yet
    uncertified = host(client, None, "Per")
    family_a = family(client, "Ana")
    family_b = family(client, "Bo")
    revoked = Phone(client)
    code = client.post("/v1/invites", headers=family_a.auth).json()["code"]
    client.post("/v1/invites/redeem", json={"code": code, "display_name": "Kid"}, headers=revoked.auth)
    assert client.post(f"/v1/devices/{revoked.device_id}/revoke", headers=family_a.auth).status_code == 204
    request_id = request_visit(client, family_a, host_a.host_id).json()["request_id"]
    other = request_visit(client, family_b, host_b.host_id).json()["request_id"]
    report_id = client.post(
        f"/v1/visits/{other}/report", json={"reason": "spam"}, headers=host_b.auth
    ).json()["report_id"]
    phones = {
        "family_a": family_a,
        "family_b": family_b,
        "host_a": host_a,
        "host_b": host_b,
        "uncertified": uncertified,
        "coordinator": coord,
        "revoked": revoked,
        "host_c": host_c,
    }
    return World(client, phones, request_id, report_id, uncertified.host_id, host_b.host_id)


def host_profile(_w: World) -> dict:
    return {
        "first_name": "New",
        "municipality": 1833,
        "languages": ["nb"],
        "visits_per_month": 1,
        "consent": True,
    }


def seeker_profile(_w: World) -> dict:
    return {"first_name": "New", "municipality": 1833, "languages": ["en"], "party_size": 2, "consent": True}


def enrolment(w: World) -> dict:
    with w.client.app.state.engine.begin() as conn:
        return {"code": create_coordinator(conn, "Extra", datetime.now(UTC))[1]}


U = 401  # no or bad token, revoked phone
# (method, path, body, expected statuses in CALLERS order)
SUPERHOST_MATRIX = [
    ("PUT", "/v1/host", host_profile, [U, U, 200, 200, 200, 200, 200, 200, U]),
    ("GET", "/v1/host", None, [U, U, 404, 404, 200, 200, 200, 404, U]),
    ("GET", "/v1/host/requests", None, [U, U, 404, 404, 200, 200, 403, 404, U]),
    ("PUT", "/v1/seeker", seeker_profile, [U, U, 200, 200, 409, 409, 409, 409, U]),
    ("GET", "/v1/seeker/suggestions", None, [U, U, 200, 200, 409, 409, 409, 409, U]),
    ("GET", "/v1/group-events?municipality=1833", None, [U, U, 200, 200, 200, 200, 200, 200, U]),
    ("POST", "/v1/visits", "visit", [U, U, 201, 201, 409, 409, 409, 409, U]),
    ("GET", "/v1/visits", None, [U, U, 200, 200, 409, 409, 409, 409, U]),
    ("GET", "/v1/visits/{request}", None, [U, U, 200, 404, 200, 404, 404, 404, U]),
    (
        "POST",
        "/v1/visits/{request}/feedback",
        lambda w: {"rating": 5},
        [U, U, 409, 404, 409, 404, 404, 404, U],
    ),
    ("GET", "/v1/visits/{request}/ics", None, [U, U, 409, 404, 409, 404, 404, 404, U]),
    (
        "POST",
        "/v1/visits/{request}/report",
        lambda w: {"reason": "other"},
        [U, U, 201, 404, 201, 404, 404, 404, U],
    ),
    ("POST", "/v1/visits/{request}/block", None, [U, U, 204, 404, 204, 404, 404, 404, U]),
    (
        "POST",
        "/v1/visits/{request}/accept",
        lambda w: {"starts_at": soon(), "meeting_place": "Rana library"},
        [U, U, 409, 404, 200, 404, 404, 404, U],
    ),
    ("GET", "/v1/inbox", None, [U, U, 200, 200, 200, 200, 200, 200, U]),
    ("POST", "/v1/inbox/read", lambda w: {"up_to": 1000}, [U, U, 200, 200, 200, 200, 200, 200, U]),
    ("POST", "/v1/coordinator/enrol", enrolment, [U, U, 200, 200, 200, 200, 200, 409, U]),
    ("GET", "/v1/coordinator/me", None, [U, U, 403, 403, 403, 403, 403, 200, U]),
    ("GET", "/v1/coordinator/hosts", None, [U, U, 403, 403, 403, 403, 403, 200, U]),
    (
        "POST",
        "/v1/coordinator/hosts/{uncertified}/certification",
        lambda w: certification(),
        [U, U, 403, 403, 403, 403, 403, 201, U],
    ),
    (
        "POST",
        "/v1/coordinator/hosts/{host_b}/suspend",
        lambda w: {"reason": "test"},
        [U, U, 403, 403, 403, 403, 403, 204, U],
    ),
    ("GET", "/v1/coordinator/reports", None, [U, U, 403, 403, 403, 403, 403, 200, U]),
    ("POST", "/v1/coordinator/reports/{report}/handled", None, [U, U, 403, 403, 403, 403, 403, 204, U]),
    (
        "PUT",
        "/v1/coordinator/municipalities/1833/neighbours",
        lambda w: {"neighbours": [1832]},
        [U, U, 403, 403, 403, 403, 403, 200, U],
    ),
    ("POST", "/v1/coordinator/rounds", None, [U, U, 403, 403, 403, 403, 403, 200, U]),
    ("GET", "/v1/coordinator/audit", None, [U, U, 403, 403, 403, 403, 403, 200, U]),
    ("DELETE", "/v1/host", None, [U, U, 404, 404, 204, 204, 204, 404, U]),
    ("DELETE", "/v1/seeker", None, [U, U, 204, 204, 409, 409, 409, 409, U]),
]

# Route templates as OpenAPI lists them, for the coverage check.
TEMPLATES = {
    "/v1/group-events?municipality=1833": "/v1/group-events",
    "/v1/visits/{request}": "/v1/visits/{request_id}",
    "/v1/visits/{request}/feedback": "/v1/visits/{request_id}/feedback",
    "/v1/visits/{request}/ics": "/v1/visits/{request_id}/ics",
    "/v1/visits/{request}/report": "/v1/visits/{request_id}/report",
    "/v1/visits/{request}/block": "/v1/visits/{request_id}/block",
    "/v1/visits/{request}/accept": "/v1/visits/{request_id}/{action}",
    "/v1/coordinator/hosts/{uncertified}/certification": "/v1/coordinator/hosts/{host_id}/certification",
    "/v1/coordinator/hosts/{host_b}/suspend": "/v1/coordinator/hosts/{host_id}/suspend",
    "/v1/coordinator/reports/{report}/handled": "/v1/coordinator/reports/{report_id}/handled",
    "/v1/coordinator/municipalities/1833/neighbours": (
        "/v1/coordinator/municipalities/{municipality}/neighbours"
    ),
}


def covered_routes() -> set[tuple[str, str]]:
    return {(method, TEMPLATES.get(path, path)) for method, path, _b, _e in SUPERHOST_MATRIX}


def call(world: World, caller: str, method: str, template: str, body: object):
    path = template.format(
        request=world.request_id,
        uncertified=world.uncertified_host_id,
        host_b=world.host_b_id,
        report=world.report_id,
    )
    headers = dict(world.headers(caller))
    if body == "visit":
        headers["Idempotency-Key"] = f"matrix-{caller}"
        target = world.phones["host_c"].host_id
        json = {"host_id": target, "message": "Hi"}
    else:
        json = body(world) if callable(body) else None
    return world.client.request(method, path, headers=headers, json=json)


def test_every_superhost_endpoint_answers_each_role_as_it_should(client):
    # Callers without a valid token change nothing: one world serves all their calls, and one
    # world per endpoint serves every caller of a read; a write gets a fresh world per caller.
    outsiders = build_world(client)
    for method, template, body, expected in SUPERHOST_MATRIX:
        shared = build_world(client) if method == "GET" else None
        for caller, status in zip(CALLERS, expected, strict=True):
            world = outsiders if caller in ("anonymous", "bad_token") else shared or build_world(client)
            answer = call(world, caller, method, template, body)
            assert answer.status_code == status, (method, template, caller, answer.text)
            if status >= 400:
                error = answer.json()["error"]
                assert error["code"] and error["message"], (method, template, caller)


def test_host_b_never_sees_host_a_requests_and_families_never_see_each_other(client):
    world = build_world(client)
    get = world.client.get
    b_requests = get("/v1/host/requests", headers=world.headers("host_b")).json()["requests"]
    assert world.request_id not in {r["request_id"] for r in b_requests}
    b_visits = get("/v1/visits", headers=world.headers("family_b")).json()["requests"]
    assert world.request_id not in {r["request_id"] for r in b_visits}
    for caller in ("host_b", "family_b", "uncertified"):
        items = get("/v1/inbox", headers=world.headers(caller)).json()["items"]
        assert world.request_id not in {i["request_id"] for i in items}, caller
    assert (
        get("/v1/host/requests", headers=world.headers("uncertified")).json()["error"]["code"]
        == "not_certified"
    )


def test_a_newcomer_cannot_certify_anyone(client):
    world = build_world(client)
    for caller in ("family_a", "host_a", "uncertified"):
        answer = world.client.post(
            f"/v1/coordinator/hosts/{world.uncertified_host_id}/certification",
            json=certification(),
            headers=world.headers(caller),
        )
        assert answer.status_code == 403
    assert world.client.get("/v1/host", headers=world.headers("uncertified")).json()["status"] == "pending"
