"""Nordhub from the family's phone (the real app, views and server): an employer's HR registers a
case; the newcomer links the family with the code in the Family tab, ticks two milestones to
share, and ticks a step; the employer's dashboard shows that milestone and nothing unconsented.
Unlinking hides everything again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx

from server.db import make_engine
from server.superhost.coordinators import create_coordinator
from services.org_number import check_digit
from tests.integration.test_app_headless import open_tab
from tests.integration.test_family_headless import newcomer_sharing


def verified_hr(server: str, tmp_path) -> httpx.Client:
    """An employer's administrator (verified by a coordinator) as an HTTP client of the server."""
    http = httpx.Client(base_url=server)
    coordinator = http.post("/v1/devices").json()["token"]
    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    with engine.begin() as conn:
        _id, code = create_coordinator(conn, "Kari", datetime.now(UTC))
    engine.dispose()
    http.post(
        "/v1/coordinator/enrol", json={"code": code}, headers={"Authorization": f"Bearer {coordinator}"}
    )
    http.headers["Authorization"] = "Bearer " + http.post("/v1/devices").json()["token"]
    number = "92000000" + str(check_digit("92000000"))
    body = {"org_number": number, "name": "Rana Sykehus", "municipality": 1833, "staff_name": "Hanne"}
    employer_id = http.post("/v1/employers", json=body).json()["employer_id"]
    verified = http.post(
        f"/v1/coordinator/employers/{employer_id}/verify", headers={"Authorization": f"Bearer {coordinator}"}
    )
    assert verified.status_code == 204, verified.text
    return http


def new_case(hr: httpx.Client, municipality: int) -> dict:
    """A case for an EU citizen starting in 30 days; the answer holds its code."""
    start = (date.today() + timedelta(days=30)).isoformat()
    body = {
        "first_name": "Ana",
        "role_title": "Nurse",
        "start_date": start,
        "municipality": municipality,
        "citizenship_group": "eea",
        "partner": False,
        "child_bands": [],
        "needs_approval": False,
    }
    answer = hr.post("/v1/employer/cases", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_the_family_links_its_employer_and_shares_only_what_it_ticks(headless, tmp_path, live_server):
    hr = verified_hr(live_server, tmp_path)
    case = new_case(hr, 1833)
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await open_tab(ana, "family")
    await ana.until(lambda: ana.has("case-code"))
    await ana.type("case-code", case["code"].lower())
    await ana.click("case-join")
    await ana.until(lambda: ana.has("consent-permit"))
    assert any("Rana Sykehus: Nurse" in t for t in ana.texts())
    assert ana.semantics("consent-permit").checked is False
    await ana.click("consent-permit")
    await ana.click("consent-tax_card")
    await ana.click("case-consents-save")
    await ana.until(lambda: (ana.state.employer_case.case or {}).get("consents") == ["permit", "tax_card"])
    ana.state.steps.set_status("eea_registration", "done")
    ana.state.steps.save_note("eea_registration", "Met Ola at the police")
    await ana.state.runtime.scheduler.sync_once()

    row = next(c for c in hr.get("/v1/employer/cases").json()["cases"] if c["case_id"] == case["case_id"])
    assert row["milestones"] == [{"id": "permit", "state": "done"}, {"id": "tax_card", "state": "open"}]
    assert "Met Ola" not in hr.get("/v1/employer/cases").text

    await ana.click("case-leave")
    await ana.click("case-leave-confirm")
    await ana.until(lambda: ana.has("case-code"))
    row = next(c for c in hr.get("/v1/employer/cases").json()["cases"] if c["case_id"] == case["case_id"])
    assert row["joined"] is False and row["milestones"] == []


async def test_a_wrong_code_is_explained_and_changes_nothing(headless, tmp_path, live_server):
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await open_tab(ana, "family")
    await ana.until(lambda: ana.has("case-code"))
    await ana.type("case-code", "ABCD-EFGH-JKMN")
    await ana.click("case-join")
    await ana.until(lambda: ana.has("case-error"))
    assert any("ask your employer for a new one" in t for t in ana.texts())
    assert ana.state.employer_case.case is None and ana.has("case-code")


async def test_a_case_link_opens_the_family_tab_with_its_code_ready(headless, tmp_path, live_server):
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await ana.go("nyinordland://case?code=abcd-efgh-jkmn")
    await ana.until(lambda: ana.has("case-code"))
    assert ana.state.nav.route == "/family"
    assert ana.find("case-code").value == "ABCDEFGHJKMN"
    assert ana.state.family.join_code == ""  # not taken for a family invitation


async def test_the_employers_code_prefills_the_questions_and_links_the_family_at_the_end(
    headless, tmp_path, live_server
):
    hr = verified_hr(live_server, tmp_path)
    start = (date.today() + timedelta(days=30)).isoformat()
    code = hr.post(
        "/v1/employer/cases",
        json={
            "first_name": "Ana",
            "role_title": "Electrician",
            "start_date": start,
            "municipality": 1833,
            "citizenship_group": "non_eu",
            "partner": True,
            "child_bands": ["6-12"],
            "needs_approval": True,
        },
    ).json()["code"]
    app = await headless(server_url=live_server, folder=tmp_path / "ana", today=date.today())
    await app.click("wizard-employer-code")
    await app.type("prefill-code", "WRONG-CODE-0000")
    await app.click("prefill-continue")
    await app.until(lambda: app.has("error"))
    assert app.state.profile.wizard_step == 0 and app.state.employer_case.prefill is None

    await app.type("prefill-code", code)
    await app.click("prefill-continue")
    await app.until(lambda: app.has("wizard-prefill"))
    draft = app.state.profile.draft
    assert (draft.group, draft.reason, draft.municipality, draft.partner, draft.profession) == (
        "non_eu",
        "work",
        1833,
        True,
        "recognition",
    )
    assert app.semantics("wizard-option-non_eu").selected is True  # shown chosen; the person confirms
    # The newcomer goes through every question; the answers the case gave can be corrected.
    await app.click("wizard-option-eea")
    while app.state.profile.question != "arrival":
        await app.click("wizard-next")
    assert any("first working day is" in t for t in app.texts())
    await app.type("arrival-date", date.today().isoformat())
    while app.state.profile.question != "children":
        await app.click("wizard-next")
    assert any("expects children aged 6–12 years" in t for t in app.texts())
    assert hr.get("/v1/employer/cases").json()["cases"][0]["joined"] is False  # not before the end
    while app.state.profile.profile is None:
        await app.click("wizard-next")

    await app.until(lambda: app.has("consent-permit"))
    assert app.state.nav.tab == "family" and app.state.profile.profile.group == "eea"
    row = hr.get("/v1/employer/cases").json()["cases"][0]
    assert row["joined"] is True and row["milestones"] == []
