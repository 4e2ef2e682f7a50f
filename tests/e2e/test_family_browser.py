"""Two people, two browsers, one household: the newcomer invites, the partner joins with the typed
code, and a tick on one phone appears on the other (through the real sync server)."""

from __future__ import annotations

import re
import time

from tests.e2e.conftest import FletPage, phone


def open_phone(browser: object, url: str, name: str) -> FletPage:
    """A phone (360×740, touch) with the app open."""
    app = phone(browser, name)
    app.open(url)
    return app


def finish_wizard_quickly(app: FletPage) -> None:
    for answer in ("wizard-lang-en", "wizard-option-eea", "wizard-option-work"):
        app.click(answer)
        app.click("wizard-next")
    app.fill("municipality-search", "Bodø")
    app.click("municipality-1804")
    for _ in range(7):  # arrival, stay, partner, children, profession, licence: keep the defaults
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
        newcomer.wait("invite-code")
        # A screen reader spells the code out, character by character.
        spelled = newcomer.text_of("invite-code").replace(" ", "")
        code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", spelled)[0]
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
        newcomer.page.get_by_role("tab", name="My steps").click()
        newcomer.wait("tick-letterbox_name")
        assert not newcomer.checked("tick-letterbox_name")
        partner.click("tick-letterbox_name")
        ticked = time.monotonic()
        partner.wait_checked("tick-letterbox_name")
        # The newcomer's open app is told at once (a live poke, then a pull): nobody taps anything.
        newcomer.wait_text("item-letterbox_name", "Done by Marek", timeout=30)
        arrived = time.monotonic() - ticked
        assert newcomer.checked("tick-letterbox_name")
        newcomer.screenshot("03-newcomer-sees-the-tick")
        print(
            f"tick visible on the other phone after {arrived:.2f} s (figure only; bench/realtime.py measures)"
        )
    finally:
        for app in (newcomer, partner):
            app.last_screenshot()
            app.page.context.close()
