"""A person's rights over what the server holds: a copy of it, erasure (after which no row in any
table holds their names, notes or profiles), withdrawing consent, and hosts who show little."""

from __future__ import annotations

from sqlalchemy import select

from server.tables import metadata
from tests.integration.server import superhost_factories as make
from tests.integration.server.conftest import Phone

# Strings only this person wrote: if any survives erasure, some table kept it.
NAME, NOTE, PHONE_NAME = "Zuzanna-Q7", "Our landlord is Mr Q7", "Zuzanna's phone Q7"
MESSAGE, COMMENT, INTRO = "Hello from Q7 family", "Lovely walk Q7", "Host Q7 loves fjords"


def _everything(client) -> str:
    """Every value of every row of every table, as one text."""
    with client.app.state.engine.connect() as conn:
        return "\n".join(
            repr(tuple(row)) for table in metadata.sorted_tables for row in conn.execute(select(table)).all()
        )


def _household_with_writes(client) -> Phone:
    phone = make.family(client, name=NAME)
    note = phone.op("bank_account", "note", NOTE)
    device_op = {**phone.op("x", "name", PHONE_NAME), "entity": "device", "row_key": "local-q7"}
    assert phone.push([note, device_op]).status_code == 200
    return phone


def test_the_last_member_erases_everything_and_the_host_sees_an_anonymous_visit(client):
    coord = make.coordinator(client)
    host = make.host(client, coord)
    family = _household_with_writes(client)
    headers = {**family.auth, "Idempotency-Key": "erase-0001"}
    visit = client.post("/v1/visits", json={"host_id": host.host_id, "message": MESSAGE}, headers=headers)
    assert visit.status_code == 201
    assert NAME in _everything(client) and NOTE in _everything(client)

    erased = client.delete("/v1/me", headers=family.auth)
    assert erased.status_code == 200
    assert erased.json()["erased"] == {"host_profile": False, "membership": True, "household": True}
    everything = _everything(client)
    for secret in (NAME, NOTE, PHONE_NAME, MESSAGE):
        assert secret not in everything, secret
    # The phone's token no longer works; the host still has the (cancelled) visit, without names.
    assert client.get("/v1/household", headers=family.auth).status_code == 401
    seen = client.get(f"/v1/visits/{visit.json()['request_id']}", headers=host.auth).json()
    assert seen["state"] == "cancelled" and seen["family"]["first_name"] == "" and seen["message"] == ""


def test_a_member_who_leaves_erases_their_notes_for_the_whole_family(client):
    owner = _household_with_writes(client)
    partner = Phone(client)
    code = client.post("/v1/invites", headers=owner.auth).json()["code"]
    client.post("/v1/invites/redeem", json={"code": code, "display_name": "Bo"}, headers=partner.auth)
    partner.push([partner.op("tax_card", "note", "Bo's own note")])
    assert client.delete("/v1/me", headers=owner.auth).json()["erased"]["household"] is False
    # The family keeps its checklist; the owner's notes and phone name are cleared on every phone.
    values = {(c["entity"], c["row_key"], c["field"]): c["value"] for c in partner.pull().json()["changes"]}
    assert values[("step_state", "bank_account", "note")] == ""
    assert values[("device", "local-q7", "name")] is None
    assert values[("step_state", "tax_card", "note")] == "Bo's own note"
    household = client.get("/v1/household", headers=partner.auth).json()
    assert [m["role"] for m in household["members"]] == ["owner"]  # Bo is the owner now
    everything = _everything(client)
    assert NOTE not in everything and PHONE_NAME not in everything
    # The erasure is an ordinary newer write: the family's phones agree on it and keep syncing.
    assert partner.push([partner.op("bank_account", "note", "new")]).json()["applied"] == 1


def test_a_host_erases_their_profile_and_families_keep_an_anonymous_history(client):
    coord = make.coordinator(client)
    host = make.host(client, coord, name="Hostq", introduction=INTRO)
    family = make.family(client)
    headers = {**family.auth, "Idempotency-Key": "erase-0002"}
    visit = client.post("/v1/visits", json={"host_id": host.host_id}, headers=headers).json()["request_id"]
    assert client.delete("/v1/me", headers=host.auth).json()["erased"]["host_profile"] is True
    assert INTRO not in _everything(client) and "Hostq" not in _everything(client)
    seen = client.get(f"/v1/visits/{visit}", headers=family.auth).json()
    assert seen["state"] == "cancelled" and seen["host"]["first_name"] == ""
    assert client.get("/v1/seeker/suggestions", headers=family.auth).json()["hosts"] == []


def test_the_export_holds_what_the_server_keeps_about_the_person(client):
    coord = make.coordinator(client)
    host = make.host(client, coord)
    family = _household_with_writes(client)
    headers = {**family.auth, "Idempotency-Key": "export-001"}
    client.post("/v1/visits", json={"host_id": host.host_id, "message": MESSAGE}, headers=headers)
    export = client.get("/v1/me/export", headers=family.auth).json()["export"]
    household = export["household"]
    assert household["member"]["display_name"] == NAME
    assert {"entity": "step_state", "row_key": "bank_account", "field": "note", "value": NOTE} in household[
        "shared_checklist"
    ]
    assert (
        household["matching_profile"]["first_name"] == NAME and household["matching_profile"]["consented_at"]
    )
    assert household["visits"][0]["message"] == MESSAGE
    host_export = client.get("/v1/me/export", headers=host.auth).json()["export"]
    assert host_export["host"]["profile"]["introduction"] and host_export["host"]["certifications"]
    assert "household" not in host_export
    assert "token" not in str(export).replace("token_issued_at", "")  # never a secret


def test_profiles_need_consent_and_consent_can_be_withdrawn(client):
    family = Phone(client)
    family.create_household()
    profile = {"first_name": "Ana", "municipality": 1833, "languages": ["en"], "party_size": 2}
    r = client.put("/v1/seeker", json=profile, headers=family.auth)
    assert r.status_code == 422 and r.json()["error"]["code"] == "consent_required"
    assert client.put("/v1/seeker", json={**profile, "consent": True}, headers=family.auth).status_code == 200
    assert client.delete("/v1/seeker", headers=family.auth).status_code == 204
    assert (
        client.get("/v1/seeker/suggestions", headers=family.auth).json()["error"]["code"]
        == "no_seeker_profile"
    )
    host = Phone(client)
    body = {"first_name": "Ola", "municipality": 1833, "languages": ["nb"], "visits_per_month": 2}
    r = client.put("/v1/host", json=body, headers=host.auth)
    assert r.status_code == 422 and r.json()["error"]["code"] == "consent_required"
    assert client.put("/v1/host", json={**body, "consent": True}, headers=host.auth).status_code == 200
    assert client.delete("/v1/host", headers=host.auth).status_code == 204
    assert client.get("/v1/host", headers=host.auth).json()["error"]["code"] == "not_a_host"
    assert "Ola" not in _everything(client)
    again = client.put("/v1/host", json={**body, "consent": True}, headers=host.auth).json()
    assert again["status"] == "pending"  # a new profile waits for a new check


def test_hosts_show_age_bands_and_their_details_only_after_saying_yes(client):
    coord = make.coordinator(client)
    host = make.host(client, coord, introduction=INTRO, occupation="nurse", children_ages=[4, 9])
    family = make.family(client, languages=("nb", "en"))
    suggested = client.get("/v1/seeker/suggestions", headers=family.auth).json()["hosts"][0]
    assert "children_ages" not in suggested and suggested["child_bands"] == 0b0110
    assert suggested["occupation"] == "" and suggested["introduction"] == ""
    headers = {**family.auth, "Idempotency-Key": "details-01"}
    visit = client.post("/v1/visits", json={"host_id": host.host_id}, headers=headers).json()
    assert visit["host"]["introduction"] == ""
    starts = make.soon()
    accepted = client.post(
        f"/v1/visits/{visit['request_id']}/accept",
        json={"starts_at": starts, "meeting_place": "Rana library"},
        headers=host.auth,
    )
    assert accepted.status_code == 200, accepted.text
    seen = client.get(f"/v1/visits/{visit['request_id']}", headers=family.auth).json()
    assert seen["host"]["introduction"] == INTRO and seen["host"]["occupation"] == "nurse"
    # A host may choose to show them from the start; the own profile keeps exact ages.
    own = client.get("/v1/host", headers=host.auth).json()
    assert own["children_ages"] == [4, 9]
    body = {
        k: own[k] for k in ("first_name", "municipality", "languages", "visits_per_month", "introduction")
    }
    client.put("/v1/host", json={**body, "occupation": "nurse", "show_details": True, "consent": True},
               headers=host.auth)  # fmt: skip
    other = make.family(client, name="Eva", languages=("nb",))
    assert (
        client.get("/v1/seeker/suggestions", headers=other.auth).json()["hosts"][0]["introduction"] == INTRO
    )


def test_a_family_cannot_sweep_the_county_by_changing_municipality(client):
    family = make.family(client)
    profile = {"first_name": "Ana", "languages": ["pl", "en"], "party_size": 3, "consent": True}
    answers = [
        client.put("/v1/seeker", json={**profile, "municipality": m}, headers=family.auth)
        for m in (1804, 1806, 1820)
    ]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[-1].json()["error"]["code"] == "too_many_moves" and answers[-1].headers["Retry-After"]
