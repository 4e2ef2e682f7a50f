"""Members and devices: list, leave, remove (owner only), revoke; what each role may see and do."""

from __future__ import annotations

import pytest

from tests.integration.server.conftest import Phone
from tests.integration.server.test_invites import invite, redeem


@pytest.fixture
def family(client, phone):
    partner = Phone(client)
    assert redeem(partner, invite(phone)["code"], name="Bo").status_code == 200
    return phone, partner


def household(p: Phone) -> dict:
    return p.client.get("/v1/household", headers=p.auth).json()


def test_members_and_their_devices_are_listed_for_the_household_only(client, family):
    owner, partner = family
    listed = household(partner)
    assert [(m["display_name"], m["role"]) for m in listed["members"]] == [("Ana", "owner"), ("Bo", "member")]
    assert listed["members"][1]["devices"][0]["device_id"] == partner.device_id
    stranger = Phone(client)
    stranger.create_household("Eve")
    assert [m["display_name"] for m in household(stranger)["members"]] == ["Eve"]


def test_a_member_cannot_remove_the_owner_but_the_owner_can_remove_a_member(family):
    owner, partner = family
    owner_id = household(owner)["members"][0]["member_id"]
    partner_id = household(owner)["members"][1]["member_id"]
    r = partner.client.delete(f"/v1/household/members/{owner_id}", headers=partner.auth)
    assert r.status_code == 403 and r.json()["error"]["code"] == "owner_only"
    assert owner.client.delete(f"/v1/household/members/{partner_id}", headers=owner.auth).status_code == 204
    gone = partner.pull()
    assert gone.status_code == 410 and gone.json()["error"]["code"] == "removed_from_household"
    assert [m["display_name"] for m in household(owner)["members"]] == ["Ana"]


def test_another_households_member_answers_404(client, family):
    owner, _ = family
    stranger = Phone(client)
    stranger.create_household("Eve")
    owner_id = household(owner)["members"][0]["member_id"]
    r = stranger.client.delete(f"/v1/household/members/{owner_id}", headers=stranger.auth)
    assert r.status_code == 404
    r = stranger.client.post(f"/v1/devices/{owner.device_id}/revoke", headers=stranger.auth)
    assert r.status_code == 404


def test_when_the_owner_leaves_the_longest_standing_member_becomes_owner(family):
    owner, partner = family
    owner_id = household(owner)["members"][0]["member_id"]
    assert owner.client.delete(f"/v1/household/members/{owner_id}", headers=owner.auth).status_code == 204
    assert [(m["display_name"], m["role"]) for m in household(partner)["members"]] == [("Bo", "owner")]
    assert owner.pull().status_code == 410


def test_a_revoked_device_gets_401_at_once(family):
    owner, partner = family
    r = owner.client.post(f"/v1/devices/{partner.device_id}/revoke", headers=owner.auth)
    assert r.status_code == 204
    assert partner.pull().status_code == 401
    assert partner.push([partner.op("x", "status", "done")]).status_code == 401
    assert owner.pull().status_code == 200
