"""Nordhub authorization: every endpoint × {anonymous, bad token, admin and HR of employer A,
admin of employer B, admin of an unverified employer, the family in A's case, another family,
a coordinator}. Another organisation's case answers 404, an unverified employer creates nothing,
only a coordinator verifies, and no caller but the family changes what the family consented to.

On SQLite only: who may do what is decided by the same queries on both databases, and
tests/integration/server/test_nordhub.py runs the cross-organisation and consent cases on
PostgreSQL too (this matrix builds about a hundred worlds: 90 s on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from services.employer_tasks import load_employer_tasks
from tests.integration.server.conftest import Phone
from tests.integration.server.nordhub_factories import case, employer, newcomer, org_number, staff
from tests.integration.server.superhost_factories import coordinator

CALLERS = ("anonymous", "bad_token", "admin_a", "hr_a", "admin_b", "unverified", "family", "other", "coord")


@dataclass
class World:
    client: TestClient
    phones: dict[str, Phone]
    case_joined: str  # A's case the family joined, consenting to "permit"
    case_open: str  # A's case nobody joined yet
    unverified_employer: str

    def headers(self, caller: str) -> dict[str, str]:
        if caller == "anonymous":
            return {}
        if caller == "bad_token":
            return {"Authorization": "Bearer not-a-token"}
        return self.phones[caller].auth


def build_world(client: TestClient) -> World:
    coord = coordinator(client)
    admin_a = employer(client, coord, "A AS")
    hr_a = staff(client, admin_a)
    admin_b = employer(client, coord, "B AS")
    unverified = employer(client, None, "U AS")
    joined = case(client, hr_a)
    family = newcomer(client, joined["code"])
    assert (
        client.put("/v1/case/consents", json={"milestones": ["permit"]}, headers=family.auth).status_code
        == 200
    )
    other = Phone(client)
    other.create_household("Bo")
    phones = {
        "admin_a": admin_a,
        "hr_a": hr_a,
        "admin_b": admin_b,
        "unverified": unverified,
        "family": family,
        "other": other,
        "coord": coord,
    }
    return World(client, phones, joined["case_id"], case(client, hr_a)["case_id"], unverified.employer_id)


def registration(_world: World) -> dict:
    return {"org_number": org_number(), "name": "New AS", "municipality": 1804, "staff_name": "Siv"}


def staff_code(world: World) -> dict:
    code = world.client.post(
        "/v1/employer/staff-invites", json={"role": "hr"}, headers=world.phones["admin_a"].auth
    )
    return {"code": code.json()["code"], "name": "Tor"}


def case_code(world: World) -> dict:
    return {"code": case(world.client, world.phones["hr_a"])["code"]}


def new_case(_world: World) -> dict:
    from tests.integration.server.nordhub_factories import case_body

    return case_body()


TASK = load_employer_tasks()[0].id
#         anonymous, bad_token, admin_a, hr_a, admin_b, unverified, family, other, coord
NORDHUB_MATRIX = [
    ("POST", "/v1/employers", registration, [401, 401, 409, 409, 409, 409, 201, 201, 201]),
    ("GET", "/v1/employer", None, [401, 401, 200, 200, 200, 200, 403, 403, 403]),
    (
        "POST",
        "/v1/employer/staff-invites",
        lambda w: {"role": "hr"},
        [401, 401, 201, 403, 201, 201, 403, 403, 403],
    ),
    ("POST", "/v1/employer/staff-invites/redeem", staff_code, [401, 401, 409, 409, 409, 409, 200, 200, 200]),
    ("DELETE", "/v1/employer/staff/{hr_a}", None, [401, 401, 204, 403, 404, 404, 403, 403, 403]),
    ("POST", "/v1/employer/cases", new_case, [401, 401, 201, 201, 201, 403, 403, 403, 403]),
    ("GET", "/v1/employer/cases", None, [401, 401, 200, 200, 200, 200, 403, 403, 403]),
    ("GET", "/v1/employer/cases.csv", None, [401, 401, 200, 200, 200, 200, 403, 403, 403]),
    ("POST", "/v1/employer/cases/{case_open}/code", None, [401, 401, 200, 200, 404, 404, 403, 403, 403]),
    (
        "PUT",
        "/v1/employer/cases/{case_joined}/tasks/{task}",
        lambda w: {"done": True},
        [401, 401, 200, 200, 404, 404, 403, 403, 403],
    ),
    (
        "POST",
        "/v1/employer/cases/{case_joined}/messages",
        lambda w: {"template": "welcome"},
        [401, 401, 201, 201, 404, 404, 403, 403, 403],
    ),
    # Whoever holds a valid code sees what it pre-fills (as redeeming it would show), nothing more.
    ("POST", "/v1/case/preview", case_code, [401, 401, 200, 200, 200, 200, 200, 200, 200]),
    ("POST", "/v1/case/join", case_code, [401, 401, 409, 409, 409, 409, 409, 200, 409]),
    ("GET", "/v1/case", None, [401, 401, 409, 409, 409, 409, 200, 404, 409]),
    ("PUT", "/v1/case/consents", lambda w: {"milestones": []}, [401, 401, 409, 409, 409, 409, 200, 404, 409]),
    ("DELETE", "/v1/case", None, [401, 401, 409, 409, 409, 409, 204, 204, 409]),
    ("GET", "/v1/coordinator/employers", None, [401, 401, 403, 403, 403, 403, 403, 403, 200]),
    (
        "POST",
        "/v1/coordinator/employers/{unverified}/verify",
        None,
        [401, 401, 403, 403, 403, 403, 403, 403, 204],
    ),
]
TEMPLATES = {
    "/v1/employer/staff/{hr_a}": "/v1/employer/staff/{staff_id}",
    "/v1/employer/cases/{case_open}/code": "/v1/employer/cases/{case_id}/code",
    "/v1/employer/cases/{case_joined}/tasks/{task}": "/v1/employer/cases/{case_id}/tasks/{task_id}",
    "/v1/employer/cases/{case_joined}/messages": "/v1/employer/cases/{case_id}/messages",
    "/v1/coordinator/employers/{unverified}/verify": "/v1/coordinator/employers/{employer_id}/verify",
}


def covered_routes() -> set[tuple[str, str]]:
    return {(method, TEMPLATES.get(path, path)) for method, path, _b, _e in NORDHUB_MATRIX}


@pytest.fixture
def client(tmp_path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'server.db'}"))) as c:
        yield c


def test_every_nordhub_endpoint_answers_each_caller_as_it_should(client):
    # Callers without a valid token change nothing: one world serves all their calls, and one
    # world per endpoint serves every caller of a read.
    outsiders = build_world(client)
    for method, template, body, expected in NORDHUB_MATRIX:
        shared = build_world(client) if method == "GET" else None
        for caller, status in zip(CALLERS, expected, strict=True):
            if caller in ("anonymous", "bad_token"):
                world = outsiders
            else:
                world = shared or build_world(client)
            path = template.format(
                hr_a=world.phones["hr_a"].staff_id,
                case_open=world.case_open,
                case_joined=world.case_joined,
                task=TASK,
                unverified=world.unverified_employer,
            )
            json = body(world) if callable(body) else None
            answer = client.request(method, path, json=json, headers=world.headers(caller))
            assert answer.status_code == status, (method, template, caller, answer.text)
            if status >= 400:
                assert answer.json()["error"]["code"], (method, template, caller)
            # What the family consented to changes only by the family's own hand, and employer B
            # never sees A's case.
            if caller != "family":
                mine = client.get("/v1/case", headers=world.phones["family"].auth).json()
                assert mine["consents"] == ["permit"], (method, template, caller)
            cases_b = client.get("/v1/employer/cases", headers=world.phones["admin_b"].auth).json()["cases"]
            assert world.case_joined not in {c["case_id"] for c in cases_b}
