"""The real Flet views driven headless through Flet's session: wizard → timeline → tick → SQLite."""

from __future__ import annotations

import sqlite3

import pytest

from services.store import DB_FILE_NAME


@pytest.mark.asyncio
async def test_wizard_then_tick_is_stored_in_sqlite(headless, data_dir):
    app = await headless()
    assert app.has("wizard-lang-en")
    await app.click("wizard-lang-en")
    await app.click("wizard-option-eea")
    await app.click("wizard-option-work")
    await app.type("municipality-search", "rana")
    await app.click("municipality-1833")
    await app.type("arrival-date", "2026-11-20")
    await app.click("arrival-save")
    await app.click("wizard-option-true")  # 6 months or more
    await app.click("wizard-option-false")  # no partner
    await app.type("child-label", "Ada")
    await app.select("child-year", "2023")
    await app.select("child-month", "5")
    await app.click("child-add")
    await app.click("wizard-next")
    await app.click("wizard-option-none")  # profession
    await app.click("wizard-option-eea")  # licence → finish
    assert app.has("timeline"), app.texts()
    assert "Your first year in Rana" in app.texts()
    kindergarten = [t for t in app.texts() if t.startswith("Apply for a kindergarten place")]
    assert kindergarten == ["Apply for a kindergarten place (Ada)"]

    await app.click("tick-letterbox_name")
    rows = (
        sqlite3.connect(data_dir / DB_FILE_NAME)
        .execute("SELECT status FROM step_state WHERE item_key = 'letterbox_name'")
        .fetchall()
    )
    assert rows == [("done",)]
    outbox = (
        sqlite3.connect(data_dir / DB_FILE_NAME)
        .execute("SELECT entity, row_key, field FROM outbox WHERE entity = 'step_state'")
        .fetchall()
    )
    assert outbox == [("step_state", "letterbox_name", "status")]
    assert any("Saved on this phone" in t for t in app.texts())


async def started_with_profile(headless, data_dir, **profile):
    """The app after a finished wizard (profile stored directly through the store)."""
    from services.store import open_store
    from tests.conftest import make_profile

    store = open_store(data_dir)
    store.save_profile(make_profile(**profile))
    store.close()
    return await headless()


async def test_step_detail_marks_not_relevant_undo_and_saves_a_note(headless, data_dir):
    app = await started_with_profile(headless, data_dir)
    await app.click("item-bank_account")
    assert app.has("detail-done")
    assert "Waiting for: Receive your national identity number or D-number" in app.texts()
    await app.click("detail-not-relevant")
    assert app.state.statuses == {"bank_account": "not_relevant"}
    assert app.has("detail-undo")
    await app.click("detail-undo")
    assert app.state.statuses == {}
    await app.type("detail-note", "Ask for an appointment in Mo i Rana")
    await app.click("detail-note-save")
    reopened = open_notes(data_dir)
    assert reopened == {"bank_account": "Ask for an appointment in Mo i Rana"}
    await app.click("detail-back")
    assert app.has("timeline") and not app.has("detail-done")


def open_notes(data_dir):
    from services.store import open_store

    return open_store(data_dir).notes()


async def test_uncertain_step_says_so_and_links_the_official_source(headless, data_dir):
    app = await started_with_profile(headless, data_dir)
    await app.click("item-tax_deduction_card")
    assert app.has("detail-uncertain")
    assert any("50 %" in t for t in app.texts())
    assert app.find("detail-source").url == "https://www.skatteetaten.no/en/person/foreign/"


async def test_switching_to_arabic_mirrors_and_translates(headless, data_dir):
    app = await started_with_profile(headless, data_dir)
    await open_settings(app)
    assert app.has("settings")
    await app.click("settings-lang-ar")
    assert app.page.rtl is True
    assert app.state.profile.language == "ar"
    assert "اللغة" in app.texts()  # "Language"
    assert app.page.theme.font_family == "Noto Sans Arabic"


async def open_settings(app):
    await open_tab(app, "settings")


async def open_tab(app, tab: str):
    """Tap a bottom tab as the client reports it: new selected index, then the change event."""
    import flet as ft

    from app.state import TABS

    nav = next(c for c in app.controls() if isinstance(c, ft.NavigationBar))
    app.session.apply_patch(nav._i, {"selected_index": TABS.index(tab)})
    await app.event(nav, "change", str(TABS.index(tab)))


async def test_invalid_arrival_date_shows_error_and_changes_nothing(headless, data_dir):
    app = await headless()
    for identifier in ("wizard-lang-en", "wizard-option-eea", "wizard-option-work", "municipality-1804"):
        await app.click(identifier)
    await app.type("arrival-date", "next tuesday")
    await app.click("arrival-save")
    assert app.has("error")
    assert "Write the date as year-month-day, for example 2027-01-15." in app.texts()
    assert app.state.draft.arrival_date is None and app.has("arrival-date")


async def test_editing_the_profile_keeps_done_steps(headless, data_dir):
    app = await started_with_profile(headless, data_dir)
    await app.click("tick-letterbox_name")
    await open_settings(app)
    await app.click("settings-edit-profile")
    await app.click("wizard-option-non_eu")  # now from outside the EU/EEA
    for _ in range(8):
        if app.has("timeline"):
            break
        await app.click("wizard-next")
    assert app.has("timeline")
    assert app.state.profile.group == "non_eu"
    assert "Report to the police for your residence card" in app.texts()
    assert app.state.statuses == {"letterbox_name": "done"}


async def test_export_writes_a_json_file_with_the_users_data(headless, data_dir):
    import json

    app = await started_with_profile(headless, data_dir)
    await app.click("tick-letterbox_name")
    await open_settings(app)
    await app.click("settings-export")
    files = list((data_dir / "exports").glob("*.json"))
    assert len(files) == 1
    data = json.loads(files[0].read_text())
    assert data["tables"]["step_state"][0]["item_key"] == "letterbox_name"
    assert any(str(files[0]) in t for t in app.texts())


async def test_damaged_database_shows_recovery_and_start_fresh_works(headless, data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / DB_FILE_NAME).write_bytes(b"garbage" * 500)
    app = await headless()
    assert app.has("recovery")
    await app.click("recovery-export")
    assert list((data_dir / "exports").glob("*.json"))
    await app.click("recovery-fresh")
    assert app.has("wizard-lang-en")
    assert list(data_dir.glob(f"{DB_FILE_NAME}.damaged-*"))


async def test_language_names_use_their_own_script_font(headless):
    app = await headless()
    option = app.find("wizard-lang-ar")
    label = option.content.controls[1]
    assert label.value == "العربية" and label.font_family == "Noto Sans Arabic"


async def test_device_language_is_adopted_until_the_user_chooses(headless):
    app = await headless()
    app.state.adopt_device_language("uk_UA")
    await app.settle()
    assert app.state.language == "uk"
    assert "Якою мовою ви хочете користуватися?" in app.texts()
