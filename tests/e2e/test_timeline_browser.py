"""Real browser: wizard as an EU citizen moving to Rana with a 3-year-old, tick, reload, Arabic."""

from __future__ import annotations

from datetime import date

import pytest

from tests.e2e.conftest import FletPage

pytestmark = pytest.mark.e2e


def next_first_of_march(today: date) -> date:
    this_year = date(today.year, 3, 1)
    return this_year if this_year >= today else date(today.year + 1, 3, 1)


def test_wizard_timeline_tick_reload_and_arabic(served_app, browser):
    today = date.today()
    page = browser.new_page(viewport={"width": 360, "height": 740})
    app = FletPage(page, "timeline")
    try:
        run_scenario(app, page, served_app, today)
    finally:
        app.screenshot("last")


def run_scenario(app: FletPage, page: object, url: str, today: date) -> None:
    app.open(url)

    app.wait("wizard-lang-en")
    app.screenshot("01-language")
    app.click("wizard-lang-en")
    app.click("wizard-option-eea")
    app.click("wizard-option-work")
    app.fill("municipality-search", "Rana")
    app.click("municipality-1833")
    app.fill("arrival-date", today.isoformat())
    app.click("arrival-save")
    app.click("wizard-option-true")  # staying 6 months or more
    app.click("wizard-option-false")  # no partner
    app.fill("child-label", "Ada")
    app.click("child-year")
    page.get_by_text(str(today.year - 3), exact=True).last.click()
    app.click("child-month")
    page.get_by_text("January", exact=True).last.click()
    app.click("child-add")
    page.locator("[flt-semantics-identifier^='child-remove-']").first.wait_for()
    app.screenshot("02-children")
    app.click("wizard-next")
    app.click("wizard-option-none")  # no regulated profession
    app.click("wizard-option-eea")  # EEA licence: finishes the wizard

    app.wait("timeline")
    page.get_by_text("Your first year in Rana").wait_for()
    deadline = next_first_of_march(today)
    kindergarten = page.locator("[flt-semantics-identifier^='item-kindergarten:']").first
    due = f"Due {deadline.day} March {deadline.year}"
    label = app.text_of(kindergarten.get_attribute("flt-semantics-identifier"))
    assert "Apply for a kindergarten place (Ada)" in label and due in label, label
    app.screenshot("03-timeline")

    page.set_viewport_size({"width": 360, "height": 2400})  # whole list on screen: no canvas scrolling
    kindergarten.click()
    app.wait("detail-due")
    assert due in app.text_of("detail-due")
    page.get_by_text(f"Right to a place from August {deadline.year}").wait_for()
    page.wait_for_timeout(800)  # let the page transition finish before the picture
    app.screenshot("03b-kindergarten-detail")
    app.click("detail-back")
    app.wait("timeline")
    page.set_viewport_size({"width": 360, "height": 740})

    app.click("tick-letterbox_name")
    assert "Saved on this phone" in app.text_of("notice")
    assert "Mark as not done" in app.text_of("tick-letterbox_name")

    page.reload()
    app.enable_semantics()
    assert "Mark as not done" in app.text_of("tick-letterbox_name")
    app.screenshot("04-after-reload")

    ltr_x = app.by_id("tick-letterbox_name").first.bounding_box()["x"]
    page.get_by_role("tab", name="Settings").click()
    app.click("settings-lang-ar")
    app.wait("settings")
    app.screenshot("05-arabic-settings")
    page.get_by_role("tab").first.click()
    tick = app.wait("tick-letterbox_name")
    rtl_x = tick.bounding_box()["x"]
    app.screenshot("06-arabic-timeline")
    # Mirrored: the tick button moves from the left edge to the right edge.
    assert ltr_x < 100 < rtl_x, (ltr_x, rtl_x)


def test_first_run_starts_in_the_browsers_language(served_app, browser):
    context = browser.new_context(locale="pl-PL", viewport={"width": 360, "height": 740})
    app = FletPage(context.new_page(), "device-language")
    try:
        app.open(served_app)
        app.page.get_by_text("Jakiego języka chcesz używać?").wait_for(timeout=30000)
        assert "Polski" in app.text_of("wizard-lang-pl")
    finally:
        app.screenshot("last")
        context.close()
