"""The steps of the timeline and what the family did with them: ticks, notes, who does what, who
ticked, and the changes the server refused. Every change is saved on this phone before the screen
changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import flet as ft

from app.state.navigation import Navigation
from app.state.runtime import Runtime
from services.catalog import load_catalog
from services.i18n import N_
from services.profile import Profile
from services.store import InvalidInputError, LocalStore
from services.timeline import Timeline, build_timeline

STATUS_NOTICES = {
    "done": N_("Marked as done. Saved on this phone."),
    "not_relevant": N_("Marked as not relevant. Saved on this phone."),
    "todo": N_("Moved back to your list. Saved on this phone."),
}


@ft.observable
@dataclass
class StepsState:
    """Statuses, notes and assignments of timeline items (keys from services.timeline.item_key)."""

    runtime: Runtime = field(repr=False)
    nav: Navigation = field(repr=False)
    statuses: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    assignees: dict[str, str] = field(default_factory=dict)  # item key → member id
    authors: dict[str, tuple[str, int]] = field(default_factory=dict)  # item key → (name, epoch ms)
    rejections: list[dict] = field(default_factory=list)  # changes the server refused, undone here
    error: str | None = None
    _timeline_cache: tuple[object, Timeline] | None = field(default=None, repr=False)

    def reload(self) -> None:
        """Read everything again from the store (after a sync brought changes)."""
        store = self.runtime.store
        assert store is not None
        self.statuses = store.statuses()
        self.notes = store.notes()
        self.assignees = store.assignees()
        names = store.device_names()
        self.authors = {
            key: (names[stamp.device], stamp.wall_ms)
            for key, stamp in store.status_stamps().items()
            if names.get(stamp.device)
        }
        self.rejections = store.rejections()

    def timeline(self, profile: Profile) -> Timeline:
        """The household's timeline today (computed once per change, however many views ask)."""
        today = self.runtime.today
        key = (profile, tuple(sorted(self.statuses.items())), today)
        if self._timeline_cache is None or self._timeline_cache[0] != key:
            self._timeline_cache = (key, build_timeline(load_catalog(), profile, dict(self.statuses), today))
        return self._timeline_cache[1]

    def _saved(self, write: Callable[[LocalStore], None], notice: str) -> bool:
        """Write through the store; on success the change waits to sync and is confirmed, on bad
        input the error code is shown and nothing changed."""
        store = self.runtime.store
        assert store is not None
        try:
            write(store)
        except InvalidInputError as exc:
            self.error = exc.code
            return False
        self.error = None
        self.runtime.edited()
        self.nav.say(notice)
        return True

    def set_status(self, item_key: str, status: str) -> None:
        """Tick, mark not relevant, or undo."""
        if self._saved(lambda store: store.set_step_status(item_key, status), STATUS_NOTICES.get(status, "")):
            self.reload()

    def save_note(self, item_key: str, note: str) -> None:
        if self._saved(lambda store: store.set_step_note(item_key, note), N_("Note saved on this phone.")):
            self.notes = {**self.notes, item_key: note}

    def assign(self, item_key: str, member_id: str) -> None:
        """Say who in the family does this step ('' for nobody yet)."""
        if self._saved(lambda store: store.assign_step(item_key, member_id), N_("Saved on this phone.")):
            self.assignees = self.runtime.store.assignees()

    def dismiss_rejections(self) -> None:
        """The user has read which changes were undone."""
        if self.runtime.store is not None:
            self.runtime.store.clear_rejections()
        self.rejections = []
