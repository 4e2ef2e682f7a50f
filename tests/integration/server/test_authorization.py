"""Authorization matrix: every endpoint × {anonymous, member of A, member of B, removed member,
revoked device}. Another household's object answers 404, a revoked device 401, a removed member
410 (its phone wipes), and list endpoints never show another household's rows."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from tests.integration.server.conftest import Phone
from tests.integration.server.test_nordhub_authorization import covered_routes as nordhub_routes
from tests.integration.server.test_superhost_authorization import covered_routes

CALLERS = ("anonymous", "garbage_token", "member_a", "member_b", "removed", "revoked")


@dataclass
class World:
    """Household A (owner, a member to act on, a removed member, a revoked phone) and household B."""

    client: TestClient
    a: Phone
    a_target: Phone
    a_target_member: str
    removed: Phone
    revoked: Phone
    b: Phone

    def caller_headers(self, caller: str) -> dict[str, str]:
        phone = {
            "member_a": self.a,
            "member_b": self.b,
            "removed": self.removed,
            "revoked": self.revoked,
        }.get(caller)
        if phone is not None:
            return phone.auth
        return {"Authorization": "Bearer not-a-token"} if caller == "garbage_token" else {}


def join(client: TestClient, owner: Phone, name: str) -> tuple[Phone, str]:
    phone = Phone(client)
    code = client.post("/v1/invites", headers=owner.auth).json()["code"]
    member = client.post(
        "/v1/invites/redeem", json={"code": code, "display_name": name}, headers=phone.auth
    ).json()["member_id"]
    return phone, member


def build_world(client: TestClient) -> World:
    a = Phone(client)
    a.create_household("Ana")
    assert a.push([a.op("bank_account", "note", "A's secret note")]).status_code == 200
    target, target_member = join(client, a, "Marek")
    removed, removed_member = join(client, a, "Ola")
    revoked, _ = join(client, a, "Kari")
    assert client.delete(f"/v1/household/members/{removed_member}", headers=a.auth).status_code == 204
    assert client.post(f"/v1/devices/{revoked.device_id}/revoke", headers=a.auth).status_code == 204
    b = Phone(client)
    b.create_household("Bo")
    return World(client, a, target, target_member, removed, revoked, b)


def ops(phone: Phone) -> dict:
    return {"protocol": 1, "ops": [phone.op("letterbox_name", "status", "done")]}


# (method, path template, body builder, expected status per caller)
MATRIX = [
    ("GET", "/v1/health", None, dict.fromkeys(CALLERS, 200)),
    ("POST", "/v1/devices", None, dict.fromkeys(CALLERS, 201)),
    ("POST", "/v1/devices/token", None, [401, 401, 200, 200, 200, 401]),
    ("POST", "/v1/households", lambda w: {"display_name": "X"}, [401, 401, 409, 409, 201, 401]),
    ("GET", "/v1/household", None, [401, 401, 200, 200, 410, 401]),
    ("DELETE", "/v1/household/members/{member}", None, [401, 401, 204, 404, 410, 401]),
    ("POST", "/v1/devices/{device}/revoke", None, [401, 401, 204, 404, 410, 401]),
    ("POST", "/v1/invites", None, [401, 401, 201, 201, 410, 401]),
    ("POST", "/v1/invites/redeem", "code", [401, 401, 409, 409, 200, 401]),
    ("GET", "/v1/invites", None, [401, 401, 200, 200, 410, 401]),
    ("DELETE", "/v1/invites/{invite}", None, [401, 401, 204, 404, 410, 401]),
    ("GET", "/v1/me/export", None, [401, 401, 200, 200, 200, 401]),
    ("DELETE", "/v1/me", None, [401, 401, 200, 200, 200, 401]),
    ("PUT", "/v1/household/invites-by", lambda w: {"invites_by": "owner"}, [401, 401, 200, 200, 410, 401]),
    ("POST", "/v1/sync/push", "ops", [401, 401, 200, 200, 410, 401]),
    ("GET", "/v1/sync/pull", None, [401, 401, 200, 200, 410, 401]),
]


def call(world: World, caller: str, method: str, template: str, body: object) -> object:
    invite = ""
    if "{invite}" in template:  # an open invite of household A
        invite = world.client.post("/v1/invites", headers=world.a.auth).json()["invite_id"]
    path = template.format(member=world.a_target_member, device=world.a_target.device_id, invite=invite)
    headers = world.caller_headers(caller)
    if body == "code":
        json = {"code": world.client.post("/v1/invites", headers=world.a.auth).json()["code"]}
    elif body == "ops":
        phone = {"member_a": world.a, "member_b": world.b, "removed": world.removed}.get(caller, world.a)
        json = ops(phone)
    else:
        json = body(world) if callable(body) else None
    return world.client.request(method, path, headers=headers, json=json)


def test_the_matrices_cover_every_endpoint(client):
    """Every route in the OpenAPI document is in this matrix, the Superhost or the Nordhub one."""
    routes = {
        (method.upper(), path) for path, item in client.app.openapi()["paths"].items() for method in item
    }
    covered = {(method, template) for method, template, _, _ in MATRIX} | covered_routes() | nordhub_routes()
    names = {"{member_id}": "{member}", "{device_id}": "{device}", "{invite_id}": "{invite}"}
    paths = set()
    for method, path in routes:
        for name, short in names.items():
            path = path.replace(name, short)
        paths.add((method, path))
    assert paths == covered


def test_every_endpoint_answers_each_caller_as_it_should(client):
    outsiders = build_world(client)  # callers without a valid token change nothing
    for method, template, body, expected in MATRIX:
        statuses = expected if isinstance(expected, dict) else dict(zip(CALLERS, expected, strict=True))
        for caller, status in statuses.items():
            # A fresh household each time otherwise: some calls change things.
            world = outsiders if caller in ("anonymous", "garbage_token") else build_world(client)
            answer = call(world, caller, method, template, body)
            assert answer.status_code == status, (method, template, caller, answer.text)
            if status >= 400:
                error = answer.json()["error"]
                assert error["code"] and error["message"], (method, template, caller)
            # Whatever anyone did, household A's data is intact unless A itself changed it.
            if caller != "member_a":
                notes = [c for c in world.a.pull().json()["changes"] if c["field"] == "note"]
                assert [n["value"] for n in notes] == ["A's secret note"], (method, template, caller)


def test_list_endpoints_never_show_another_households_rows(client):
    world = build_world(client)
    a_members = {
        m["member_id"] for m in world.client.get("/v1/household", headers=world.a.auth).json()["members"]
    }
    b_view = world.client.get("/v1/household", headers=world.b.auth).json()
    assert not a_members & {m["member_id"] for m in b_view["members"]}
    assert world.b.pull().json()["changes"] == []
    pushed = world.b.push(ops(world.b)["ops"])
    assert pushed.status_code == 200, pushed.text
    assert {c["row_key"] for c in world.a.pull().json()["changes"]} == {"bank_account"}
