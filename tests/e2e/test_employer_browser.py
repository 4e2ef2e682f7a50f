"""Employer mode in the browser at 360×740, as an HR person holds it: register the organisation,
(the county verifies it), add a newcomer and read the code, scroll to the last control and make a
colleague's code; then the same dashboard in Arabic. Every control passed on the way is audited
(name, role, state, 48×48)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.e2e.conftest import phone
from tests.e2e.test_timeline_browser import pick
from tests.integration.test_employer_headless import coordinator_http


def test_hr_on_a_phone_registers_adds_a_newcomer_and_reads_the_dashboard_in_arabic(
    served_app, browser, live_server, tmp_path
):
    coordinator = coordinator_http(live_server, tmp_path)
    hr = phone(browser, "employer-hr")
    try:
        hr.open(served_app)
        hr.scroll_to("wizard-employer", "touch")
        hr.click("wizard-employer")
        hr.fill("register-org-number", "920000002")
        hr.fill("register-name", "Rana Sykehus")
        pick(hr, "register-municipality", "Rana")
        hr.fill("register-person", "Hanne")
        hr.scroll_to("register-send", "touch")
        hr.click("register-send")
        hr.wait("employer-unverified")
        hr.screenshot("01-unverified")
        employer_id = coordinator.get("/v1/coordinator/employers").json()["employers"][0]["id"]
        coordinator.post(f"/v1/coordinator/employers/{employer_id}/verify").raise_for_status()
        hr.tap_until("employer-refresh", lambda: hr.has("case-add"))

        hr.scroll_to("case-add", "touch")
        hr.click("case-add")
        hr.fill("case-first-name", "Ana")
        hr.fill("case-role", "Nurse")
        hr.scroll_to("case-start", "touch")
        hr.fill("case-start", (date.today() + timedelta(days=30)).isoformat())
        hr.scroll_to("case-save", "touch")
        hr.click("case-save")
        hr.wait("case-new-code")
        hr.scroll_to("case-new-code", "touch")
        hr.screenshot("02-code")

        # The last control on the screen: a colleague's code.
        hr.scroll_to("staff-invite-admin", "touch")
        hr.click("staff-invite-admin")
        hr.wait("staff-code")
        hr.scroll_to("staff-code", "touch")
        hr.screenshot("03-staff-code")

        hr.page.get_by_role("tab").nth(1).click()  # Settings
        hr.switch_to_arabic()
        hr.page.get_by_role("tab").nth(0).click()  # the Employer tab
        hr.wait("cases-summary")
        hr.scroll_to("staff-invite-hr", "touch")
        hr.screenshot("04-arabic")
        assert hr.problems == [], hr.problems
    finally:
        hr.last_screenshot()
        hr.page.context.close()
