"""Employer mode (Nordhub) on an HR person's phone, through the real views and a real server: the
first screen leads to registering the organisation (a wrong organisation number is refused and
nothing is stored); after the coordinator verifies it, HR adds a newcomer (a past start date is
refused) and gets the code; the family joins and shares one milestone; the dashboard shows it and
nothing else, a task is ticked, a message reaches the family's inbox, the list downloads as CSV."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx

from server.db import make_engine
from server.superhost.coordinators import create_coordinator
from services.org_number import check_digit
from tests.integration.test_app_headless import open_tab
from tests.integration.test_family_headless import newcomer_sharing


def coordinator_http(server: str, tmp_path) -> httpx.Client:
    """A county coordinator's phone, as an HTTP client of the live server."""
    http = httpx.Client(base_url=server)
    http.headers["Authorization"] = "Bearer " + http.post("/v1/devices").json()["token"]
    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    with engine.begin() as conn:
        _id, code = create_coordinator(conn, "Kari", datetime.now(UTC))
    engine.dispose()
    assert http.post("/v1/coordinator/enrol", json={"code": code}).status_code == 200
    return http


async def hr_app(headless, folder, live_server):
    """A fresh phone whose person chose employer mode on the first screen."""
    app = await headless(server_url=live_server, folder=folder, today=date.today())
    await app.click("wizard-employer")
    await app.until(lambda: app.has("register-org-number"))
    return app


async def test_hr_registers_adds_a_newcomer_and_follows_what_the_family_shares(
    headless, tmp_path, live_server
):
    coordinator = coordinator_http(live_server, tmp_path)
    hr = await hr_app(headless, tmp_path / "hr", live_server)
    assert hr.state.nav.tabs == ("employer", "settings")

    await hr.type("register-org-number", "923 609 017")  # one digit off
    await hr.type("register-name", "Rana Sykehus")
    await hr.select("register-municipality", "1833")
    await hr.type("register-person", "Hanne")
    await hr.click("register-send")
    await hr.until(lambda: hr.has("employer-error"))
    assert any("not a valid organisation number" in t for t in hr.texts())
    assert coordinator.get("/v1/coordinator/employers").json()["employers"] == []

    number = "92000000" + str(check_digit("92000000"))
    await hr.type("register-org-number", number)
    await hr.click("register-send")
    await hr.until(lambda: hr.has("employer-unverified"))
    assert not hr.has("case-add")  # nobody is pre-registered before the county verifies
    employer_id = coordinator.get("/v1/coordinator/employers").json()["employers"][0]["id"]
    assert coordinator.post(f"/v1/coordinator/employers/{employer_id}/verify").status_code == 204
    await hr.click("employer-refresh")
    await hr.until(lambda: hr.has("case-add"))

    await hr.click("case-add")
    await hr.type("case-first-name", "Ana")
    await hr.type("case-role", "Nurse")
    await hr.type("case-start", (date.today() - timedelta(days=1)).isoformat())
    await hr.click("case-save")
    await hr.until(lambda: hr.has("employer-error"))
    assert any("start date is in the past" in t for t in hr.texts())
    assert hr.state.employer.cases == []
    await hr.type("case-start", (date.today() + timedelta(days=30)).isoformat())
    await hr.click("case-child-add-0-5")
    await hr.click("case-save")
    await hr.until(lambda: hr.has("case-new-code"))
    code = hr.state.employer.new_code["code"]
    assert " ".join(code) in hr.semantics("case-new-code").label
    case_id = hr.state.employer.cases[0]["case_id"]
    assert any("Has not joined yet." in t for t in hr.texts())

    # The family joins with the code and shares the permit only; it also ticks a tax card step.
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await ana.until(lambda: ana.has("case-code"))
    await ana.type("case-code", code)
    await ana.click("case-join")
    await ana.until(lambda: ana.has("consent-permit"))
    await ana.click("consent-permit")
    await ana.click("case-consents-save")
    await ana.until(lambda: (ana.state.employer_case.case or {}).get("consents") == ["permit"])
    ana.state.steps.set_status("eea_registration", "done")
    ana.state.steps.set_status("tax_deduction_card", "done")
    await ana.state.runtime.scheduler.sync_once()

    await hr.click("employer-refresh")
    await hr.until(lambda: hr.has(f"milestone-{case_id}-permit"))
    assert not hr.has(f"milestone-{case_id}-tax_card")  # ticked, but not shared
    assert any("Residence permit or EU/EEA registration: done" in t for t in hr.texts())

    await hr.click(f"case-open-{case_id}")
    await hr.until(lambda: hr.has(f"task-{case_id}-first_day_plan"))
    await hr.click(f"task-{case_id}-first_day_plan")
    await hr.until(lambda: hr.semantics(f"task-{case_id}-first_day_plan").checked is True)
    fresh = hr.state.runtime.employer_staff().cases()
    assert next(t for t in fresh[0]["tasks"] if t["id"] == "first_day_plan")["done"] is True

    await hr.select(f"message-template-{case_id}", "housing")
    await hr.type(f"message-note-{case_id}", "Keys at the reception.")
    await hr.click(f"message-send-{case_id}")
    await hr.until(lambda: hr.state.nav.notice is not None)
    # The family reads it in its own language (Polish here), the note as the employer wrote it.
    ana.state.settings.set_language("pl")
    await open_tab(ana, "steps")
    await open_tab(ana, "family")
    await ana.until(lambda: ana.has("employer-message-0"))
    assert any("Rana Sykehus: Są wiadomości" in t for t in ana.texts()), ana.texts()
    assert "“Keys at the reception.”" in ana.texts()

    await hr.click("staff-invite-hr")  # a colleague's code, spelled out for screen readers
    await hr.until(lambda: hr.has("staff-code"))
    assert hr.semantics("staff-code").label.startswith("Code: ")

    await hr.click("cases-export")
    await hr.until(lambda: "relocation-cases.csv" in hr.connection.saved_files)
    csv_text = hr.connection.saved_files["relocation-cases.csv"].decode()
    assert "Ana,Nurse" in csv_text and "permit=done" in csv_text and "tax_card" not in csv_text
