"""App-wide observable state: the one place views call to change anything."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import flet as ft

from services.catalog import load_catalog
from services.i18n import N_
from services.languages import Language, get_language
from services.profile import Child, Profile, ProfileError, validate_child
from services.store import (
    InvalidInputError,
    LocalStore,
    StoreCorruptError,
    StoreError,
    open_store,
    salvage_export,
    start_fresh,
)
from services.timeline import Timeline, build_timeline

log = logging.getLogger(__name__)

WIZARD_STEPS = (
    "language",
    "group",
    "reason",
    "municipality",
    "arrival",
    "stay",
    "partner",
    "children",
    "profession",
    "licence",
)
TABS = ("timeline", "settings")


@ft.observable
@dataclass
class AppState:
    """Everything the screens show. Methods are the use cases; each persists before it returns."""

    data_dir: Path
    today_fn: Callable[[], date] = date.today
    language: str = "en"
    profile: Profile | None = None
    statuses: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    corrupt: bool = False
    # navigation
    tab: str = "timeline"
    open_item: str | None = None
    editing_profile: bool = False
    # first-run wizard
    wizard_step: int = 0
    draft: Profile = field(default_factory=Profile)
    # feedback shown to the user (English msgids; views translate them)
    error: str | None = None
    notice: str | None = None
    notice_arg: str = ""
    store: LocalStore | None = None

    # --- start-up -----------------------------------------------------------------------------

    def load(self, device_language: str | None = None) -> None:
        """Open the local database and read the profile; a damaged database shows recovery."""
        try:
            self.store = open_store(self.data_dir)
        except StoreCorruptError:
            self.corrupt = True
            self.language = get_language(device_language).code
            return
        self.corrupt = False
        self.profile = self.store.load_profile()
        self.language = (self.profile.language if self.profile else None) or get_language(
            device_language
        ).code
        self.draft = Profile(language=self.language)
        self._reload_steps()

    def _reload_steps(self) -> None:
        assert self.store is not None
        self.statuses = self.store.statuses()
        self.notes = self.store.notes()

    @property
    def lang(self) -> Language:
        return get_language(self.language)

    @property
    def today(self) -> date:
        return self.today_fn()

    @property
    def needs_wizard(self) -> bool:
        return self.profile is None or self.editing_profile

    def timeline(self) -> Timeline:
        assert self.profile is not None
        return build_timeline(load_catalog(), self.profile, self.statuses, self.today)

    # --- language -----------------------------------------------------------------------------

    def set_language(self, code: str) -> None:
        """Switch the UI language at once; stored with the profile when there is one."""
        lang = get_language(code)
        self.language = lang.code
        self.draft = self.draft.with_changes(language=lang.code)
        if self.profile is not None and self.store is not None:
            self._save_profile(self.profile.with_changes(language=lang.code))

    def adopt_device_language(self, code: str | None) -> None:
        """Follow the device's language until the user has chosen one (first run only)."""
        if self.profile is None and self.wizard_step == 0 and code:
            self.language = get_language(code).code
            self.draft = self.draft.with_changes(language=self.language)

    # --- wizard -------------------------------------------------------------------------------

    def set_draft(self, **changes: object) -> None:
        """Change answers in the wizard; invalid answers leave the draft unchanged and say why."""
        try:
            self.draft = self.draft.with_changes(**changes)
            self.error = None
        except ProfileError as exc:
            self.error = exc.message

    def answer(self, **changes: object) -> None:
        """Record an answer and go to the next question."""
        self.set_draft(**changes)
        if self.error is None:
            self.next_wizard_step()

    def next_wizard_step(self) -> None:
        self.error = None
        if self.wizard_step < len(WIZARD_STEPS) - 1:
            self.wizard_step += 1
        else:
            self.finish_wizard()

    def previous_wizard_step(self) -> None:
        self.error = None
        self.wizard_step = max(0, self.wizard_step - 1)

    def add_child(self, label: str, birth_year: int | None, birth_month: int | None) -> bool:
        """Add a child to the draft; False (with a translated error) when the input is invalid."""
        if birth_year is None or birth_month is None:
            self.error = N_("Choose the birth year and month.")
            return False
        child = Child.new(label.strip(), birth_year, birth_month)
        try:
            validate_child(child, self.today)
        except ProfileError as exc:
            self.error = exc.message
            return False
        self.draft = self.draft.with_changes(children=(*self.draft.children, child))
        self.error = None
        return True

    def remove_child(self, child_id: str) -> None:
        self.draft = self.draft.with_changes(
            children=tuple(c for c in self.draft.children if c.id != child_id)
        )

    def finish_wizard(self) -> None:
        """Save the answers. Statuses are kept: the timeline is recomputed around them."""
        if self._save_profile(self.draft.with_changes(language=self.language)):
            self.editing_profile = False
            self.wizard_step = 0
            self.tab = "timeline"

    def edit_profile(self) -> None:
        """Open the wizard on the current answers (Settings → Profile)."""
        if self.profile is not None:
            self.draft = self.profile
        self.wizard_step = 1
        self.editing_profile = True

    def cancel_edit_profile(self) -> None:
        self.editing_profile = False
        self.error = None

    def _save_profile(self, profile: Profile) -> bool:
        assert self.store is not None
        try:
            self.store.save_profile(profile)
        except StoreError as exc:
            self.error = exc.message
            return False
        self.profile = profile
        self.error = None
        return True

    # --- steps --------------------------------------------------------------------------------

    def set_status(self, item_key: str, status: str) -> None:
        """Tick, mark not relevant, or undo: saved on this phone before the screen changes."""
        assert self.store is not None
        try:
            self.store.set_step_status(item_key, status)
        except InvalidInputError as exc:
            self.error = exc.message
            return
        self.error = None
        statuses = dict(self.statuses)
        if status == "todo":
            statuses.pop(item_key, None)
        else:
            statuses[item_key] = status
        self.statuses = statuses
        self.notice = {
            "done": N_("Marked as done. Saved on this phone."),
            "not_relevant": N_("Marked as not relevant. Saved on this phone."),
            "todo": N_("Moved back to your list. Saved on this phone."),
        }[status]

    def save_note(self, item_key: str, note: str) -> None:
        assert self.store is not None
        try:
            self.store.set_step_note(item_key, note)
        except InvalidInputError as exc:
            self.error = exc.message
            return
        self.error = None
        self.notes = {**self.notes, item_key: note}
        self.notice = N_("Note saved on this phone.")

    # --- navigation ---------------------------------------------------------------------------

    def select_tab(self, tab: str) -> None:
        if tab in TABS:
            self.tab = tab

    def open_step(self, item_key: str) -> None:
        self.open_item = item_key
        self.error = None

    def close_step(self) -> None:
        self.open_item = None
        self.error = None

    def clear_notice(self) -> None:
        self.notice = None

    # --- data export and recovery -------------------------------------------------------------

    def export_data(self) -> Path | None:
        """Write everything this phone stores about the user to a JSON file and say where."""
        data = salvage_export(self.data_dir) if self.corrupt else self.store.export_data()
        data["exported_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        folder = self.data_dir / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"ny-i-nordland-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), "utf-8")
        self.notice = N_("Your data was saved to {path}.")
        self.notice_arg = str(path)
        return path

    def start_fresh(self) -> None:
        """Recovery: keep the damaged file aside and begin again with an empty database."""
        start_fresh(self.data_dir)
        self.load(self.language)
