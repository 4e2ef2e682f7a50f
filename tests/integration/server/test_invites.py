"""Family invites through the API: join, same answer for bad codes, limits, and the 20-way race."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from server.invites import ALPHABET, MAX_LIVE_INVITES, RATE_MAX_ATTEMPTS
from server.tables import invites
from tests.integration.server.conftest import Phone


def invite(phone: Phone) -> dict:
    r = phone.client.post("/v1/invites", headers=phone.auth)
    assert r.status_code == 201, r.text
    return r.json()


def redeem(phone: Phone, code: str, name: str = "Bo"):
    return phone.client.post(
        "/v1/invites/redeem", json={"code": code, "display_name": name}, headers=phone.auth
    )


def test_partner_joins_with_the_typed_code_and_sees_the_households_edits(client, phone):
    created = invite(phone)
    code = created["code"]
    assert len(code.replace("-", "")) == 12 and set(code.replace("-", "")) <= set(ALPHABET)
    assert created["link"].endswith(code.replace("-", ""))
    expires = datetime.fromisoformat(created["expires_at"])
    assert timedelta(hours=71) < expires - datetime.now(UTC) <= timedelta(hours=72)

    phone.push([phone.op("letterbox_name", "status", "done")])
    partner = Phone(client)
    joined = redeem(partner, code.lower().replace("-", " "))  # typed sloppily: still accepted
    assert joined.status_code == 200 and joined.json()["role"] == "member"
    assert [c["value"] for c in partner.pull().json()["changes"]] == ["done"]
    partner.push([partner.op("letterbox_name", "note", "Done by Bo")])
    fields = {c["field"]: c["value"] for c in phone.pull().json()["changes"]}
    assert fields == {"status": "done", "note": "Done by Bo"}


def test_invalid_used_and_expired_codes_get_the_same_answer(client, phone):
    used = invite(phone)["code"]
    assert redeem(Phone(client), used).status_code == 200
    expired = invite(phone)["code"]
    with client.app.state.engine.begin() as conn:
        conn.execute(
            update(invites)
            .where(invites.c.used_at.is_(None))
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    answers = [redeem(Phone(client), c).json()["error"] for c in (used, expired, "AAAA-BBBB-CCCC", "short")]
    assert all(a == answers[0] for a in answers) and answers[0]["code"] == "invite_invalid"


def test_at_most_five_live_invites_per_household(phone):
    for _ in range(MAX_LIVE_INVITES):
        invite(phone)
    r = phone.client.post("/v1/invites", headers=phone.auth)
    assert r.status_code == 409 and r.json()["error"]["code"] == "too_many_invites"


def test_redemption_is_rate_limited_with_retry_after(client, phone):
    guesser = Phone(client)
    for _ in range(RATE_MAX_ATTEMPTS):
        assert redeem(guesser, "AAAA-BBBB-CCCC").status_code == 404
    r = redeem(guesser, invite(phone)["code"])
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert r.json()["error"]["code"] == "rate_limited"


def test_twenty_simultaneous_redemptions_of_one_code_let_exactly_one_join(client, phone):
    code = invite(phone)["code"]
    phones = [Phone(client) for _ in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda p: redeem(p, code).status_code, phones))
    assert sorted(results) == [200] + [404] * 19
    members = [p for p in phones if p.pull().status_code == 200]
    assert len(members) == 1


def test_another_household_never_sees_our_changes(client, phone):
    phone.push([phone.op("letterbox_name", "note", "private")])
    stranger = Phone(client)
    stranger.create_household("Eve")
    assert stranger.pull().json()["changes"] == []


def _member_of(client, owner: Phone, name: str = "Bo") -> Phone:
    member = Phone(client)
    assert redeem(member, invite(owner)["code"], name).status_code == 200
    return member


def _member_id(phone: Phone) -> str:
    return phone.client.get("/v1/household", headers=phone.auth).json()["members"][-1]["member_id"]


def test_a_removed_member_cannot_rejoin_with_a_code_they_made(client, phone):
    """The attack: mint codes, get removed, come back with one of them."""
    member = _member_of(client, phone)
    mine = _member_id(member)
    codes = [invite(member)["code"] for _ in range(2)]
    assert len(client.get("/v1/invites", headers=phone.auth).json()["open_invites"]) == 2
    assert client.delete(f"/v1/household/members/{mine}", headers=phone.auth).status_code == 204
    assert client.get("/v1/invites", headers=phone.auth).json()["open_invites"] == []
    for code in codes:
        r = redeem(Phone(client), code, "Back again")
        assert r.status_code == 404 and r.json()["error"]["code"] == "invite_invalid"


def test_members_list_and_withdraw_their_invites_and_the_owner_any(client, phone):
    member = _member_of(client, phone)
    own, owners = invite(member), invite(phone)
    listed = client.get("/v1/invites", headers=member.auth).json()
    assert {i["invite_id"] for i in listed["open_invites"]} == {own["invite_id"], owners["invite_id"]}
    assert "code" not in str(listed)  # codes are shown once, at creation: only their hashes are kept
    r = client.delete(f"/v1/invites/{owners['invite_id']}", headers=member.auth)
    assert r.status_code == 403 and r.json()["error"]["code"] == "owner_only"
    assert client.delete(f"/v1/invites/{own['invite_id']}", headers=member.auth).status_code == 204
    assert client.delete(f"/v1/invites/{owners['invite_id']}", headers=phone.auth).status_code == 204
    for code in (own["code"], owners["code"]):
        assert redeem(Phone(client), code).status_code == 404
    # Withdrawn twice, or by another household: the same 404.
    assert client.delete(f"/v1/invites/{own['invite_id']}", headers=phone.auth).status_code == 404
    stranger = Phone(client)
    stranger.create_household()
    fresh = invite(phone)
    assert client.delete(f"/v1/invites/{fresh['invite_id']}", headers=stranger.auth).status_code == 404
    assert redeem(Phone(client), fresh["code"]).status_code == 200


def test_the_owner_can_keep_inviting_to_themself(client, phone):
    member = _member_of(client, phone)
    pending = invite(member)
    r = client.put("/v1/household/invites-by", json={"invites_by": "owner"}, headers=member.auth)
    assert r.status_code == 403
    r = client.put("/v1/household/invites-by", json={"invites_by": "owner"}, headers=phone.auth)
    assert r.status_code == 200 and r.json()["invites_by"] == "owner"
    assert redeem(Phone(client), pending["code"]).status_code == 404  # the members' codes are withdrawn
    r = client.post("/v1/invites", headers=member.auth)
    assert r.status_code == 403 and r.json()["error"]["code"] == "owner_only"
    assert client.get("/v1/household", headers=member.auth).json()["invites_by"] == "owner"
    assert redeem(Phone(client), invite(phone)["code"]).status_code == 200
    r = client.put("/v1/household/invites-by", json={"invites_by": "members"}, headers=phone.auth)
    assert r.status_code == 200
    assert client.post("/v1/invites", headers=member.auth).status_code == 201
    r = client.put("/v1/household/invites-by", json={"invites_by": "everyone"}, headers=phone.auth)
    assert r.status_code == 422
