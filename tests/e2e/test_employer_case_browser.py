"""Nordhub in the browser at 360×740: the newcomer links the family to the employer's case with
the typed code (sharing starts by itself), ticks two milestones to share and saves; the employer's
dashboard shows exactly those; then the same section in Arabic, and at 200 % text."""

from __future__ import annotations

from tests.e2e.conftest import phone
from tests.e2e.test_family_browser import finish_wizard_quickly
from tests.integration.test_employer_case_headless import new_case, verified_hr


def test_the_newcomer_links_the_employer_and_shares_two_milestones(
    served_app, browser, live_server, tmp_path
):
    hr = verified_hr(live_server, tmp_path)
    case = new_case(hr, 1804)
    app = phone(browser, "employer-case")
    try:
        app.open(served_app)
        finish_wizard_quickly(app)
        app.page.get_by_role("tab", name="Family").click()
        app.scroll_to("case-code", "touch")
        app.fill("case-code", case["code"])
        app.click("case-join")
        app.wait("consent-permit")
        app.screenshot("01-linked")
        app.click("consent-permit")
        app.wait_checked("consent-permit")
        app.scroll_to("consent-tax_card", "touch")
        app.click("consent-tax_card")
        app.wait_checked("consent-tax_card")
        app.scroll_to("case-consents-save", "touch")
        app.click("case-consents-save")
        app.wait_text("notice", "Your employer sees only what you ticked")
        app.scroll_to("case-leave", "touch")
        app.screenshot("02-consents-saved")
        row = next(c for c in hr.get("/v1/employer/cases").json()["cases"] if c["case_id"] == case["case_id"])
        assert [m["id"] for m in row["milestones"]] == ["permit", "tax_card"]

        app.page.get_by_role("tab", name="Settings").click()
        app.switch_to_arabic()
        app.page.get_by_role("tab").nth(1).click()
        app.scroll_to("case-leave", "touch")
        app.screenshot("03-arabic")
        assert app.problems == [], app.problems
    finally:
        app.screenshot("last")
        app.page.context.close()


def test_at_200_percent_text_the_employer_section_is_reachable_and_explains_a_missing_code(
    served_app, browser
):
    app = phone(browser, "employer-case-200", text_scale=2.0)
    try:
        app.open(served_app)
        finish_wizard_quickly(app)
        app.page.get_by_role("tab", name="Family").click()
        app.scroll_to("case-join", "touch")
        app.click("case-join")
        app.wait("case-error")
        app.scroll_to("case-join", "touch")
        app.screenshot("01-missing-code")
        assert app.problems == [], app.problems
    finally:
        app.screenshot("last")
        app.page.context.close()
