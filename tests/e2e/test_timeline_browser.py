"""Real browser, a phone in the hand (360×740, touch): the wizard keeps what was typed, the
timeline scrolls to its last step with the wheel and with a finger, details, notes, family,
settings, a real download, Arabic mirrored, and every control on the way checked for a name, a
role, its state and a 48×48 target. Also at 200 % text size and on a 1280×800 desktop."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.e2e.conftest import FletPage, phone

pytestmark = pytest.mark.e2e


def next_rana_deadline(today: date) -> date:
    """Rana's own kindergarten deadline, 1 April (assets/catalog/municipal.json)."""
    this_year = date(today.year, 4, 1)
    return this_year if this_year >= today else date(today.year + 1, 4, 1)


def choose(app: FletPage, identifier: str) -> None:
    """Tap an answer, then Next: choosing never moves on by itself."""
    app.click(identifier)
    app.click("wizard-next")


def pick(app: FletPage, dropdown: str, text: str) -> None:
    app.click(dropdown)
    app.page.get_by_role("menuitem", name=text, exact=True).or_(
        app.page.get_by_text(text, exact=True)
    ).last.click()
    app.page.wait_for_timeout(300)


def last_step(app: FletPage) -> str:
    """The identifier of the timeline's last step (bottom of the list)."""
    items = app.page.locator("[flt-semantics-identifier^='item-']")
    return items.nth(items.count() - 1).get_attribute("flt-semantics-identifier")


def answer_wizard(app: FletPage, today: date, child_year: int) -> None:
    """EU citizen, work, Mo i Rana, arriving today, long stay, no partner, a child."""
    app.wait("wizard-lang-en")
    app.audit()
    app.scroll_to("wizard-host", "touch")  # the other ways in sit below the languages
    app.scroll_to("wizard-lang-en", "touch")
    choose(app, "wizard-lang-en")
    choose(app, "wizard-option-eea")
    choose(app, "wizard-option-work")
    app.fill("municipality-search", "Mo i Rana")  # a town: the municipality is Rana
    app.wait_text("municipality-1833", "Mo i Rana")
    app.click("municipality-1833")
    app.wait("municipality-chosen")
    app.audit()
    app.click("wizard-next")
    # A typed date survives Next and Back without a separate "use this date".
    app.fill("arrival-date", today.isoformat())
    app.click("wizard-next")
    app.click("wizard-back")
    app.page.get_by_text(f"{today.day} {today.strftime('%B')} {today.year}").wait_for()  # the answer kept
    app.screenshot("01-arrival-kept")
    app.click("wizard-next")
    choose(app, "wizard-option-over_12")  # more than 12 months
    choose(app, "wizard-option-false")  # no partner
    # A child chosen but not added is kept by Next (and shown after Back).
    app.fill("child-label", "Ada")
    pick(app, "child-year", str(child_year))
    pick(app, "child-month", "January")
    app.screenshot("02-children")
    app.click("wizard-next")
    app.click("wizard-back")
    app.page.get_by_text(f"Ada · January {child_year}").wait_for()
    app.audit()
    app.click("wizard-next")
    choose(app, "wizard-option-none")  # no regulated profession
    app.click("wizard-option-eea")
    assert "Finish" in app.text_of("wizard-next")  # the last question says so; nothing moved yet
    app.click("wizard-next")
    app.wait("timeline")


def test_a_newcomer_on_a_phone_reaches_every_control(served_app, browser):
    today = date.today()
    app = phone(browser, "walk")
    try:
        app.open(served_app)
        answer_wizard(app, today, today.year - 3)
        app.page.get_by_text("Your first year in Rana").wait_for()
        app.screenshot("03-timeline")

        # The wheel reaches the last step of the list; it can be ticked there.
        last = last_step(app)
        app.scroll_to(last, "wheel")
        key = last.removeprefix("item-")
        app.click(f"tick-{key}")
        app.wait_text("notice", "Saved on this phone")
        assert app.by_id(f"tick-{key}").locator("[role=checkbox]").get_attribute("aria-checked") == "true"
        app.screenshot("04-last-step-ticked")

        # A finger brings back the kindergarten step, due on the municipality's deadline.
        kindergarten = app.page.locator("[flt-semantics-identifier^='item-kindergarten:']").first
        ident = kindergarten.get_attribute("flt-semantics-identifier")
        app.scroll_to(ident, "touch")
        deadline = next_rana_deadline(today)
        assert f"Due {deadline.day} April {deadline.year}" in app.text_of(ident)
        app.click(ident)
        app.wait("detail-due")
        app.scroll_to("detail-note-save", "wheel")
        app.fill("detail-note", "Ask about the Sámi kindergarten")
        app.click("detail-note-save")
        app.wait_text("notice", "Note saved on this phone")
        app.screenshot("05-detail-note-saved")
        app.click("detail-back")
        app.wait("timeline")
        assert not app.reads("notice", "Note saved")  # a confirmation stays on its screen

        # Family: start sharing and invite; the code and link are reachable above the tab bar.
        app.page.get_by_role("tab", name="Family").click()
        app.wait("family-create")
        app.fill("family-name", "Ana")
        app.click("family-create")
        app.wait("family-invite")
        app.click("family-invite")
        app.scroll_to("invite-link", "touch")
        app.scroll_to("family-leave", "wheel")
        app.screenshot("06-family-invite")

        # Settings: the last control, then a real download of everything this phone stores.
        app.page.get_by_role("tab", name="Settings").click()
        app.wait("settings")
        app.scroll_to("settings-about", "touch")
        app.click("settings-about")
        app.scroll_to("licences", "touch", audit=False)
        app.scroll_to("settings-export", "wheel")
        with app.page.expect_download() as download:
            app.click("settings-export")
        path = download.value.path()
        data = json.loads(open(path, encoding="utf-8").read())
        assert download.value.suggested_filename.startswith("ny-i-nordland-")
        assert any(row["item_key"] == key for row in data["tables"]["step_state"])
        app.wait_text("notice", download.value.suggested_filename)
        assert "/" not in app.text_of("notice").split("saved as")[-1]  # a file name, never a path
        app.screenshot("07-settings-exported")

        # Privacy: the notice opens; deleting everything asks first (and is not done here).
        app.scroll_to("privacy-notice-toggle", "touch")
        app.click("privacy-notice-toggle")
        app.wait("privacy-notice")
        app.scroll_to("privacy-erase", "wheel")
        app.click("privacy-erase")
        app.scroll_to("privacy-erase-cancel", "touch")
        app.screenshot("07b-privacy-asks-first")
        app.click("privacy-erase-cancel")
        app.wait("privacy-erase")

        # Arabic: translated and mirrored, the tick box moves to the right edge.
        app.switch_to_arabic()
        app.scroll_to("privacy-erase", "touch")  # the notice, still open, in Arabic and mirrored
        app.screenshot("08a-arabic-privacy")
        app.page.get_by_role("tab").first.click()
        app.wait("timeline")
        first_tick = app.page.locator("[flt-semantics-identifier^='tick-']").first
        assert first_tick.bounding_box()["x"] > 250
        app.scroll_to(last, "wheel")
        app.screenshot("08-arabic-timeline")
        assert app.problems == [], app.problems
    finally:
        app.last_screenshot()


def test_at_200_percent_text_every_step_is_reachable(served_app, browser):
    today = date.today()
    app = phone(browser, "text-200", text_scale=2.0)
    try:
        app.open(served_app)
        answer_wizard(app, today, today.year - 10)
        app.screenshot("01-timeline")
        app.scroll_to(last_step(app), "touch")
        app.screenshot("02-last-step")
        app.page.get_by_role("tab", name="Settings").click()
        app.scroll_to("settings-export", "touch")
        app.screenshot("03-settings")
        app.scroll_to("privacy-notice-toggle", "touch")
        app.click("privacy-notice-toggle")
        app.scroll_to("privacy-erase", "touch")
        app.screenshot("04-privacy-notice")
        assert app.problems == [], app.problems
    finally:
        app.last_screenshot()


def test_on_a_desktop_the_content_is_a_readable_column(served_app, browser):
    app = phone(browser, "desktop", size={"width": 1280, "height": 800})
    try:
        app.open(served_app)
        app.wait("wizard-lang-en")
        box = app.by_id("wizard-lang-en").bounding_box()
        assert box["width"] <= 800 and 200 < box["x"] < 400  # centred, not stretched over 1280 px
        answer_wizard(app, date.today(), date.today().year - 2)
        app.scroll_to(last_step(app), "wheel")
        app.screenshot("01-timeline")
        assert app.problems == [], app.problems
    finally:
        app.last_screenshot()


def test_first_run_starts_in_the_browsers_language(served_app, browser):
    app = phone(browser, "device-language", locale="pl-PL")
    try:
        app.open(served_app)
        app.page.get_by_text("Jakiego języka chcesz używać?").wait_for(timeout=30000)
        assert "Polski" in app.text_of("wizard-lang-pl")
    finally:
        app.last_screenshot()
