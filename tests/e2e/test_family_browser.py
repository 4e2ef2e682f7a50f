"""Two people, two browsers, one household: the newcomer invites, the partner joins with the typed
code, and a tick on one phone appears on the other (through the real sync server)."""

from __future__ import annotations

from tests.e2e.conftest import FletPage


def open_phone(browser: object, url: str, name: str) -> FletPage:
    context = browser.new_context(locale="en-GB", viewport={"width": 360, "height": 2400})
    app = FletPage(context.new_page(), name)
    app.open(url)
    return app


def finish_wizard_quickly(app: FletPage) -> None:
    app.click("wizard-lang-en")
    app.click("wizard-option-eea")
    app.click("wizard-option-work")
    app.fill("municipality-search", "Bodø")
    app.click("municipality-1804")
    for _ in range(6):  # arrival, stay, partner, children, profession, licence: keep the defaults
        app.click("wizard-next")
    app.wait("timeline")


def test_partner_joins_with_the_typed_code_and_ticks_travel_between_browsers(served_app, browser):
    newcomer = open_phone(browser, served_app, "family-newcomer")
    partner = open_phone(browser, served_app, "family-partner")
    try:
        finish_wizard_quickly(newcomer)
        newcomer.page.get_by_role("tab", name="Family").click()
        newcomer.fill("family-name", "Ana")
        newcomer.click("family-create")
        newcomer.click("family-invite")
        code = newcomer.text_of("invite-code")
        code = next(part for part in code.split(" | ") if part.count("-") == 2).strip()
        newcomer.screenshot("01-invite")

        partner.wait("wizard-join")
        partner.click("wizard-join")
        partner.fill("join-code", code)
        partner.fill("join-name", "Marek")
        partner.click("join-submit")
        partner.wait("timeline")
        partner.page.get_by_text("Your first year in Bodø").wait_for()
        partner.screenshot("02-partner-joined")

        # Tick once the joining sync has settled (a tap during its re-render can be lost).
        partner.wait_text("sync-status", "Up to date with your family")
        partner.click("tick-letterbox_name")
        partner.wait_text("tick-letterbox_name", "Mark as not done")
        partner.wait_text("sync-status", "Up to date with your family")

        newcomer.page.get_by_role("tab", name="My steps").click()
        # The newcomer's phone pulls on its timer, on resume, or when asked: ask, like a user would.
        newcomer.tap_until("sync-now", lambda: newcomer.reads("tick-letterbox_name", "Mark as not done"))
        newcomer.wait_text("item-letterbox_name", "Done by Marek")
        newcomer.screenshot("03-newcomer-sees-the-tick")
    finally:
        for app in (newcomer, partner):
            app.screenshot("last")
            app.page.context.close()
