"""The real Flet views driven headless through Flet's session: wizard → timeline → tick → SQLite,
the wizard's one rule (nothing typed is dropped, nothing moves by itself), routes, downloads."""

from __future__ import annotations

import json
import sqlite3

import flet as ft
import pytest

from services.store import DB_FILE_NAME, open_store
from tests.conftest import make_child, make_profile


async def wizard_to_children(app, municipality_query: str = "rana", municipality: int = 1833) -> None:
    """Answer the first seven questions (EU citizen, work, arrival 20 Nov 2026, long stay, no partner)."""
    await app.answer("wizard-lang-en")
    await app.answer("wizard-option-eea")
    await app.answer("wizard-option-work")
    await app.type("municipality-search", municipality_query)
    await app.answer(f"municipality-{municipality}")
    await app.type("arrival-date", "2026-11-20")
    await app.click("wizard-next")
    await app.answer("wizard-option-over_12")  # more than 12 months
    await app.answer("wizard-option-false")  # no partner


@pytest.mark.asyncio
async def test_wizard_then_tick_is_stored_in_sqlite(headless, data_dir):
    app = await headless()
    assert app.has("wizard-lang-en")
    await wizard_to_children(app)
    await app.type("child-label", "Ada")
    await app.select("child-year", "2023")
    await app.select("child-month", "5")
    await app.click("child-add")
    await app.click("wizard-next")
    await app.answer("wizard-option-none")  # profession
    await app.click("wizard-option-eea")  # licence: selected, nothing moves yet
    assert app.has("wizard-next") and not app.has("timeline")
    assert app.find("wizard-next").content == "Finish"
    await app.click("wizard-next")
    assert app.has("timeline"), app.texts()
    assert "Your first year in Rana" in app.texts()
    kindergarten = [t for t in app.texts() if t.startswith("Apply for a kindergarten place")]
    assert kindergarten == ["Apply for a kindergarten place (Ada)"]

    await app.tick("tick-letterbox_name")
    db = sqlite3.connect(data_dir / DB_FILE_NAME)
    assert db.execute("SELECT status FROM step_state WHERE item_key = 'letterbox_name'").fetchall() == [
        ("done",)
    ]
    outbox = db.execute("SELECT entity, row_key, field FROM outbox WHERE entity = 'step_state'").fetchall()
    assert outbox == [("step_state", "letterbox_name", "status")]
    assert any("Saved on this phone" in t for t in app.texts())
    tick = app.find("tick-letterbox_name")
    assert isinstance(tick, ft.Checkbox) and tick.value is True  # a checkbox, with its checked state
    assert tick.semantics_label == "Put your name on the letterbox"  # its name, once


async def test_a_typed_arrival_date_is_kept_by_next_and_back(headless):
    """Issue: a date typed, then Next (without a separate 'use this date'), was gone after Back."""
    app = await headless()
    for answer in ("wizard-lang-en", "wizard-option-eea", "wizard-option-work", "municipality-1804"):
        await app.answer(answer)
    await app.type("arrival-date", "2027-01-15")
    await app.click("wizard-next")
    assert app.state.profile.draft.arrival_date.isoformat() == "2027-01-15"
    await app.click("wizard-back")
    assert app.find("arrival-date").value == "2027-01-15"
    assert "15 January 2027" in app.texts()


async def test_an_unreadable_arrival_date_stops_next_with_a_message(headless):
    app = await headless()
    for answer in ("wizard-lang-en", "wizard-option-eea", "wizard-option-work", "municipality-1804"):
        await app.answer(answer)
    await app.type("arrival-date", "next tuesday")
    await app.click("wizard-next")
    assert app.has("error") and app.has("arrival-date")
    assert "Write the date as year-month-day, for example 2027-01-15." in app.texts()
    assert app.state.profile.draft.arrival_date is None
    assert app.find("arrival-date").value == "next tuesday"  # still there to correct


async def test_a_child_chosen_but_not_added_is_kept_by_next(headless):
    """Issue: a child whose birth year and month were chosen but not 'Add child' was lost on Next."""
    app = await headless()
    await wizard_to_children(app)
    await app.select("child-year", "2022")
    await app.select("child-month", "3")
    await app.click("wizard-next")
    children = app.state.profile.draft.children
    assert [(c.birth_year, c.birth_month) for c in children] == [(2022, 3)]
    await app.click("wizard-back")
    assert any(t.startswith("Child 1 · March 2022") for t in app.texts()), app.texts()


async def test_a_half_typed_child_stops_next_with_a_message(headless):
    app = await headless()
    await wizard_to_children(app)
    await app.type("child-label", "Ola")
    await app.select("child-year", "2022")
    await app.click("wizard-next")
    assert "Choose the birth year and month." in app.texts()
    assert app.has("child-label") and app.find("child-label").value == "Ola"
    assert app.state.profile.draft.children == ()


async def test_choosing_an_answer_selects_it_and_says_so(headless):
    app = await headless()
    await app.click("wizard-lang-pl")
    assert app.has("wizard-lang-pl") and app.semantics("wizard-lang-pl").selected is True
    assert app.semantics("wizard-lang-en").selected is False
    assert "Jakiego języka chcesz używać?" in app.texts()  # the language applies at once


async def test_town_names_find_their_municipality(headless):
    app = await headless()
    for answer in ("wizard-lang-en", "wizard-option-eea", "wizard-option-work"):
        await app.answer(answer)
    await app.type("municipality-search", "Mo i Rana")
    assert app.has("municipality-1833")
    assert any("Mo i Rana" in t for t in app.texts())
    await app.type("municipality-search", "Svolvær")
    assert app.has("municipality-1865")  # Vågan


async def started_with_profile(headless, data_dir, **profile):
    """The app after a finished wizard (profile stored directly through the store)."""
    store = open_store(data_dir)
    store.save_profile(make_profile(**profile))
    store.close()
    return await headless()


async def test_step_detail_marks_not_relevant_undo_and_saves_a_note(headless, data_dir):
    app = await started_with_profile(headless, data_dir)
    await app.click("item-bank_account")
    assert app.state.nav.route == "/steps/bank_account"
    assert app.connection.routes == ["/steps/bank_account"]  # the browser's history knows it
    assert app.has("detail-done")
    assert "Waiting for: Receive your national identity number or D-number" in app.texts()
    await app.click("detail-not-relevant")
    assert app.state.steps.statuses == {"bank_account": "not_relevant"}
    assert app.has("detail-undo")
    await app.click("detail-undo")
    assert app.state.steps.statuses == {}
    await app.type("detail-note", "Ask for an appointment in Mo i Rana")
    await app.click("detail-note-save")
    assert "Note saved on this phone." in app.texts()  # confirmed where it was saved
    assert open_store(data_dir).notes() == {"bank_account": "Ask for an appointment in Mo i Rana"}
    await app.click("detail-back")
    assert app.has("timeline") and not app.has("detail-done")
    assert "Note saved on this phone." not in app.texts()  # a confirmation stays on its screen


async def test_routes_drive_the_screens_back_button_and_deep_links(headless, data_dir):
    app = await started_with_profile(headless, data_dir)
    await app.go("/steps/gp_fastlege")  # a deep link (nyinordland://steps/gp_fastlege) or a reload
    assert app.has("detail-done") and "Choose a GP (fastlege)" in " ".join(app.texts())
    await app.event(app.page, "view_pop", {"route": "/steps/gp_fastlege"})  # the phone's back button
    assert app.state.nav.route == "/steps" and app.has("timeline")
    await app.go("/family")  # the browser's forward/back, or a typed address
    assert app.has("family") and app.find("family-create")
    await app.go("nyinordland://steps/bank_account")
    assert app.state.nav.route == "/steps/bank_account" and app.has("detail-done")
    await app.go("/no/such/place")
    assert app.has("timeline")


async def test_a_confirmation_from_one_screen_does_not_follow_to_another(headless, data_dir):
    """Issue: 'Moved back to your list…' showed on Family."""
    app = await started_with_profile(headless, data_dir)
    await app.tick("tick-letterbox_name")
    await app.tick("tick-letterbox_name")
    assert any("Moved back to your list" in t for t in app.texts())
    await open_tab(app, "family")
    assert not any("Moved back to your list" in t for t in app.texts())


async def test_switching_to_arabic_mirrors_and_translates(headless, data_dir):
    app = await started_with_profile(headless, data_dir, children=(make_child(label=""),))
    await open_settings(app)
    assert app.has("settings")
    await app.click("settings-lang-ar")
    assert app.page.rtl is True
    assert app.state.profile.profile.language == "ar"
    assert app.semantics("settings-lang-ar").selected is True
    assert "اللغة" in app.texts()  # "Language"
    assert app.page.theme.font_family == "Noto Sans Arabic"
    assert "طفل واحد" in app.texts()  # "1 child": CLDR's plural form for one
    await open_tab(app, "steps")
    kindergarten = [t for t in app.texts() if "(الطفل 1)" in t]  # an unnamed child, in Arabic
    assert kindergarten, app.texts()


async def open_settings(app):
    await open_tab(app, "settings")


async def open_tab(app, tab: str):
    """Tap a bottom tab as the client reports it: new selected index, then the change event."""
    tabs = app.state.nav.tabs
    bar = next(c for c in app.controls() if isinstance(c, ft.NavigationBar))
    app.session.apply_patch(bar._i, {"selected_index": tabs.index(tab)})
    await app.event(bar, "change", str(tabs.index(tab)))


async def test_editing_the_profile_keeps_done_steps(headless, data_dir):
    app = await started_with_profile(headless, data_dir)
    await app.tick("tick-letterbox_name")
    await open_settings(app)
    await app.click("settings-edit-profile")
    await app.click("wizard-option-non_eu")  # now from outside the EU/EEA
    for _ in range(9):
        if app.has("timeline"):
            break
        await app.click("wizard-next")
    assert app.has("timeline")
    assert app.state.profile.profile.group == "non_eu"
    assert "Report to the police for your residence card" in app.texts()
    assert app.state.steps.statuses == {"letterbox_name": "done"}


async def test_export_is_offered_as_a_download_never_a_server_path(headless, data_dir):
    app = await started_with_profile(headless, data_dir)
    await app.tick("tick-letterbox_name")
    await open_settings(app)
    await app.click("settings-export")
    await app.until(lambda: app.connection.saved_files)
    ((name, raw),) = app.connection.saved_files.items()
    data = json.loads(raw)
    assert name.startswith("ny-i-nordland-") and name.endswith(".json")
    assert data["tables"]["step_state"][0]["item_key"] == "letterbox_name"
    assert f"Your data was saved as {name}." in app.texts()
    assert not any(str(data_dir) in t for t in app.texts())
    assert not (data_dir / "exports").exists()  # nothing written on the machine serving the app


async def test_damaged_database_shows_recovery_and_start_fresh_works(headless, data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / DB_FILE_NAME).write_bytes(b"garbage" * 500)
    app = await headless()
    assert app.has("recovery")
    await app.click("recovery-export")
    await app.until(lambda: app.connection.saved_files)
    await app.click("recovery-fresh")
    assert app.has("wizard-lang-en")
    assert list(data_dir.glob(f"{DB_FILE_NAME}.damaged-*"))


async def test_language_names_use_their_own_script_font(headless):
    app = await headless()
    from tests.conftest import walk

    label = next(c for c in walk(app.find("wizard-lang-ar")) if isinstance(c, ft.Text))
    assert label.value == "العربية" and label.font_family == "Noto Sans Arabic"


async def test_device_language_is_adopted_until_the_user_chooses(headless):
    app = await headless()
    app.state.settings.adopt_device_language("uk_UA")
    await app.settle()
    assert app.state.language == "uk"
    assert "Якою мовою ви хочете користуватися?" in app.texts()


async def test_within_a_phase_steps_come_in_order_of_their_due_dates(headless, data_dir):
    from datetime import date

    app = await started_with_profile(
        headless, data_dir, arrival_date=date(2027, 1, 10), children=(make_child(birth_year=2024),)
    )
    timeline = app.state.steps.timeline(app.state.profile.profile)
    for phase in timeline.phases:
        dues = [i.due for i in phase.items if i.due]
        assert dues == sorted(dues)
