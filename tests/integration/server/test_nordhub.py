"""Nordhub through the real server on SQLite and PostgreSQL: an employer registers, is verified,
pre-registers a newcomer; the family joins with the code and chooses what the employer sees; bad
input changes nothing; one organisation never reaches another's cases; erasure unlinks."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from tests.integration.server.conftest import Phone
from tests.integration.server.nordhub_factories import case, case_body, employer, newcomer, org_number, staff
from tests.integration.server.superhost_factories import coordinator


def dashboard(client, phone: Phone) -> dict[str, dict]:
    answer = client.get("/v1/employer/cases", headers=phone.auth)
    assert answer.status_code == 200, answer.text
    return {c["case_id"]: c for c in answer.json()["cases"]}


def tick(family: Phone, step: str, status: str = "done") -> None:
    assert family.push([family.op(step, "status", status)]).status_code == 200


def test_a_verified_employer_sees_only_the_milestones_the_family_consented_to(client):
    coord = coordinator(client)
    admin = employer(client, None)
    refused = client.post("/v1/employer/cases", json=case_body(), headers=admin.auth)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "employer_not_verified"
    listed = client.get("/v1/coordinator/employers", headers=coord.auth).json()["employers"]
    assert [(e["id"], e["verified"]) for e in listed] == [(admin.employer_id, False)]
    assert (
        client.post(f"/v1/coordinator/employers/{admin.employer_id}/verify", headers=coord.auth).status_code
        == 204
    )
    audit = client.get("/v1/coordinator/audit", headers=coord.auth).json()["actions"]
    assert any(e["action"] == "verify_employer" for e in audit)

    hr = staff(client, admin)
    created = case(client, hr, first_name="Ana", role_title="Intensive care nurse")
    family = newcomer(client, created["code"])
    mine = client.get("/v1/case", headers=family.auth).json()
    assert (mine["employer"], mine["first_name"], mine["role_title"]) == (
        "Nordland Fisk AS",
        "Ana",
        "Intensive care nurse",
    )
    assert mine["child_bands"] == ["0-5"] and mine["consents"] == []

    tick(family, "residence_permit")
    tick(family, "tax_deduction_card", "todo")
    assert family.push([family.op("bank_account", "note", "Our private note")]).status_code == 200
    row = dashboard(client, hr)[created["case_id"]]
    assert row["joined"] is True and row["milestones"] == []  # nothing before consent

    answer = client.put("/v1/case/consents", json={"milestones": ["permit", "tax_card"]}, headers=family.auth)
    assert answer.json()["consents"] == ["permit", "tax_card"]
    row = dashboard(client, hr)[created["case_id"]]
    assert row["milestones"] == [{"id": "permit", "state": "done"}, {"id": "tax_card", "state": "open"}]
    assert "Our private note" not in client.get("/v1/employer/cases", headers=hr.auth).text

    # Withdrawing one consent hides it at once; leaving the case hides everything.
    client.put("/v1/case/consents", json={"milestones": ["tax_card"]}, headers=family.auth)
    assert [m["id"] for m in dashboard(client, hr)[created["case_id"]]["milestones"]] == ["tax_card"]
    assert client.delete("/v1/case", headers=family.auth).status_code == 204
    row = dashboard(client, hr)[created["case_id"]]
    assert row["joined"] is False and row["milestones"] == []
    assert client.get("/v1/case", headers=family.auth).json()["error"]["code"] == "no_case"


def test_bad_input_gets_a_clear_error_and_stores_nothing(client):
    coord = coordinator(client)
    admin = employer(client, coord)
    phone = Phone(client)
    body = {"org_number": "923609017", "name": "X AS", "municipality": 1804, "staff_name": "Ola"}
    wrong = client.post("/v1/employers", json=body, headers=phone.auth)
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "invalid_org_number"
    outside = client.post(
        "/v1/employers", json={**body, "org_number": org_number(), "municipality": 301}, headers=phone.auth
    )
    assert outside.json()["error"]["code"] == "unknown_municipality"
    assert client.get("/v1/employer", headers=phone.auth).json()["error"]["code"] == "not_employer_staff"
    number = org_number()
    assert (
        client.post("/v1/employers", json={**body, "org_number": number}, headers=phone.auth).status_code
        == 201
    )
    again = client.post(
        "/v1/employers", json={**body, "org_number": f"NO {number} MVA"}, headers=Phone(client).auth
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "employer_exists"

    past = (date.today() - timedelta(days=1)).isoformat()
    far = (date.today() + timedelta(days=800)).isoformat()
    for start, code in ((past, "start_date_past"), (far, "start_date_too_far")):
        answer = client.post("/v1/employer/cases", json=case_body(start_date=start), headers=admin.auth)
        assert answer.status_code == 422 and answer.json()["error"]["code"] == code
    no_title = client.post("/v1/employer/cases", json=case_body(role_title=""), headers=admin.auth)
    assert no_title.status_code == 422 and no_title.json()["error"]["code"] == "invalid_request"
    ages = client.post("/v1/employer/cases", json=case_body(child_bands=[4]), headers=admin.auth)
    assert ages.status_code == 422  # bands only, never ages
    assert dashboard(client, admin) == {}

    created = case(client, admin)
    newcomer(client, created["code"])
    other = Phone(client)
    other.create_household("Bo")
    used = client.post("/v1/case/join", json={"code": created["code"]}, headers=other.auth)
    assert used.status_code == 404 and used.json()["error"]["code"] == "case_code_invalid"
    assert client.get("/v1/case", headers=other.auth).status_code == 404
    joined = newcomer(client, case(client, admin)["code"], "Cy")
    unknown = client.put("/v1/case/consents", json={"milestones": ["salary"]}, headers=joined.auth)
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_milestone"
    assert client.get("/v1/case", headers=joined.auth).json()["consents"] == []


def test_one_organisation_never_reaches_anothers_cases(client):
    coord = coordinator(client)
    a, b = employer(client, coord, "A AS"), employer(client, coord, "B AS")
    created = case(client, a)
    family = newcomer(client, created["code"])
    client.put("/v1/case/consents", json={"milestones": ["permit"]}, headers=family.auth)
    assert dashboard(client, b) == {}
    for method, path, body in (
        ("POST", f"/v1/employer/cases/{created['case_id']}/code", None),
        ("PUT", f"/v1/employer/cases/{created['case_id']}/tasks/x", {"done": True}),
    ):
        answer = client.request(method, path, json=body, headers=b.auth)
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "case_not_found"
    assert created["case_id"] not in client.get("/v1/employer/cases.csv", headers=b.auth).text


def test_staff_roles_admins_invite_and_remove(client):
    admin = employer(client, coordinator(client))
    hr = staff(client, admin)
    refused = client.post("/v1/employer/staff-invites", json={"role": "hr"}, headers=hr.auth)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "admin_only"
    people = client.get("/v1/employer", headers=hr.auth).json()["staff"]
    assert [(p["name"], p["role"]) for p in people] == [("Hanne", "admin"), ("Per", "hr")]
    assert client.delete(f"/v1/employer/staff/{hr.staff_id}", headers=admin.auth).status_code == 204
    gone = client.get("/v1/employer/cases", headers=hr.auth)
    assert gone.status_code == 403 and gone.json()["error"]["code"] == "not_employer_staff"
    second = client.post("/v1/employers", json={"org_number": org_number(), "name": "C", "municipality": 1804,
                                                "staff_name": "X"}, headers=admin.auth)  # fmt: skip
    assert second.json()["error"]["code"] == "already_employer_staff"


def test_the_employers_tasks_follow_the_start_date_and_can_be_ticked(client):
    admin = employer(client, coordinator(client))
    soon = (date.today() + timedelta(days=3)).isoformat()
    created = case(client, admin, start_date=soon, citizenship_group="non_eu")
    tasks = dashboard(client, admin)[created["case_id"]]["tasks"]
    assert tasks, "a non-EU case has tasks"
    start = date.fromisoformat(soon)
    for task in tasks:
        assert task["overdue"] == (date.fromisoformat(task["due"]) < date.today())
    assert [t["due"] for t in tasks] == sorted(t["due"] for t in tasks)
    overdue = [t for t in tasks if t["overdue"]]
    assert overdue and all(date.fromisoformat(t["due"]) < start for t in overdue)
    first = overdue[0]["id"]
    answer = client.put(f"/v1/employer/cases/{created['case_id']}/tasks/{first}", json={"done": True},
                        headers=admin.auth)  # fmt: skip
    assert answer.status_code == 200
    row = dashboard(client, admin)[created["case_id"]]
    assert next(t for t in row["tasks"] if t["id"] == first) | {"done": True} == next(
        t for t in row["tasks"] if t["id"] == first
    )
    assert row["overdue_tasks"] == len(overdue) - 1
    unknown = client.put(f"/v1/employer/cases/{created['case_id']}/tasks/no_such", json={"done": True},
                         headers=admin.auth)  # fmt: skip
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_task"


def test_the_csv_export_lists_the_cases_and_defuses_formulas(client):
    admin = employer(client, coordinator(client))
    case(client, admin, first_name="=HYPERLINK(1)")
    answer = client.get("/v1/employer/cases.csv", headers=admin.auth)
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0][:3] == ["first_name", "role_title", "start_date"]
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_erasing_the_family_unlinks_the_case_and_the_employer_keeps_only_its_own_record(client):
    admin = employer(client, coordinator(client))
    created = case(client, admin)
    family = newcomer(client, created["code"])
    client.put("/v1/case/consents", json={"milestones": ["permit"]}, headers=family.auth)
    exported = client.get("/v1/me/export", headers=family.auth).json()["export"]
    assert exported["employer_case"]["consents"] == ["permit"]
    assert client.delete("/v1/me", headers=family.auth).status_code == 200
    row = dashboard(client, admin)[created["case_id"]]
    assert row["joined"] is False and row["milestones"] == []
    # A staff member's erasure ends their access and empties their name.
    assert client.delete("/v1/me", headers=admin.auth).status_code == 200
    assert client.get("/v1/employer", headers=admin.auth).status_code == 401


def test_the_employer_writes_to_the_family_inbox_in_words_the_family_can_read(client):
    hr = staff(client, employer(client, coordinator(client)))
    created = case(client, hr)
    path = f"/v1/employer/cases/{created['case_id']}/messages"
    early = client.post(path, json={"template": "welcome"}, headers=hr.auth)
    assert early.status_code == 409 and early.json()["error"]["code"] == "case_not_joined"
    family = newcomer(client, created["code"])
    assert client.get("/v1/inbox", headers=family.auth).json()["items"] == []

    note = "Keys at the reception, ask for Kari."
    sent = client.post(path, json={"template": "housing", "note": note}, headers=hr.auth)
    assert sent.status_code == 201, sent.text
    items = client.get("/v1/inbox", headers=family.auth).json()["items"]
    assert [(m["kind"], m["message"]) for m in items] == [
        ("employer_message", {"template": "housing", "employer": "Nordland Fisk AS", "note": note})
    ]
    # Bad input stores nothing: an unknown template, an over-long note, another organisation's case.
    for bad in ({"template": "party"}, {"template": "welcome", "note": "x" * 501}):
        assert client.post(path, json=bad, headers=hr.auth).status_code == 422
    other = staff(client, employer(client, coordinator(client)))
    stranger = client.post(path, json={"template": "welcome"}, headers=other.auth)
    assert stranger.status_code == 404
    assert len(client.get("/v1/inbox", headers=family.auth).json()["items"]) == 1
    exported = client.get("/v1/me/export", headers=family.auth).json()
    assert note in str(exported)

    for _ in range(9):
        assert client.post(path, json={"template": "contact_us"}, headers=hr.auth).status_code == 201
    tenth = client.post(path, json={"template": "contact_us"}, headers=hr.auth)
    assert tenth.status_code == 429 and tenth.json()["error"]["code"] == "too_many_messages"


def test_a_preview_shows_what_the_code_prefills_and_leaves_the_code_unused(client):
    hr = staff(client, employer(client, coordinator(client)))
    created = case(client, hr, first_name="Ana", child_bands=["0-5", "6-12"])
    phone = Phone(client)
    seen = client.post("/v1/case/preview", json={"code": created["code"]}, headers=phone.auth)
    assert seen.status_code == 200, seen.text
    assert (seen.json()["employer"], seen.json()["child_bands"]) == ("Nordland Fisk AS", ["0-5", "6-12"])
    family = newcomer(client, created["code"])  # the code still works after a preview
    assert client.get("/v1/case", headers=family.auth).json()["case_id"] == created["case_id"]
    used = client.post("/v1/case/preview", json={"code": created["code"]}, headers=phone.auth)
    assert used.status_code == 404 and used.json()["error"]["code"] == "case_code_invalid"
