"""Who the newcomer is, and the first-run wizard that asks it.

One rule for every question: choosing or typing an answer never moves on by itself; Next moves on
and takes what was typed (a date, a child whose birth year and month were chosen) or stops with a
clear message. Nothing typed is ever dropped silently. The last question's button reads Finish."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import flet as ft

from app.state.navigation import Navigation
from app.state.runtime import Runtime
from services.countries import group_of
from services.dates import InputError, parse_day
from services.profile import GROUPS, Child, Profile, ProfileError, validate_child
from services.store import StoreError

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


@dataclass(frozen=True)
class ChildForm:
    """The child being added, as typed so far (kept when the user goes Back and forth)."""

    label: str = ""
    birth_year: int | None = None
    birth_month: int | None = None

    @property
    def started(self) -> bool:
        return bool(self.label.strip()) or self.birth_year is not None or self.birth_month is not None


@ft.observable
@dataclass
class ProfileState:
    """The stored profile, the wizard's draft and where the wizard is."""

    runtime: Runtime = field(repr=False)
    nav: Navigation = field(repr=False)
    profile: Profile | None = None
    draft: Profile = field(default_factory=Profile)
    wizard_step: int = 0
    editing: bool = False
    error: str | None = None  # a code from views/messages.py
    arrival_text: str = ""  # the arrival date as typed, kept until Next takes it
    child: ChildForm = field(default_factory=ChildForm)

    def load(self, language: str) -> None:
        assert self.runtime.store is not None
        self.profile = self.runtime.store.load_profile()
        self.draft = self.profile or Profile(language=language)
        self.arrival_text = self.draft.arrival_date.isoformat() if self.draft.arrival_date else ""

    @property
    def needs_wizard(self) -> bool:
        return (self.profile is None and not (self.nav.host_only or self.nav.employer_only)) or self.editing

    @property
    def question(self) -> str:
        return WIZARD_STEPS[self.wizard_step]

    @property
    def last_question(self) -> bool:
        return self.wizard_step == len(WIZARD_STEPS) - 1

    # --- answers ---------------------------------------------------------------------------------

    def choose(self, **changes: object) -> None:
        """Select an answer (it shows as selected; Next moves on). A group that contradicts the chosen
        country clears the country (the person corrected one of the two)."""
        citizenship = self.draft.citizenship
        if "group" in changes and "citizenship" not in changes and citizenship:
            if group_of(citizenship) != changes["group"]:
                changes["citizenship"] = None
        try:
            self.draft = self.draft.with_changes(**changes)
            self.error = None
        except ProfileError as exc:
            self.error = exc.code

    def apply_case(self, prefill: dict) -> None:
        """Pre-fill the answers the employer's case knows; the newcomer goes through every question
        to confirm or correct them (children need birth dates, which an employer never has)."""
        changes: dict[str, object] = {"reason": "work", "partner": bool(prefill.get("partner"))}
        if prefill.get("citizenship_group") in GROUPS:
            changes["group"] = prefill["citizenship_group"]
        if prefill.get("municipality"):
            changes["municipality"] = int(prefill["municipality"])
        if prefill.get("needs_approval"):
            changes["profession"] = "recognition"  # the general route; health is one tap away
        self.choose(**changes)
        self.wizard_step = 1

    def set_arrival_text(self, text: str) -> None:
        self.arrival_text = text

    def choose_arrival(self, day: date) -> None:
        """Today or the calendar: fills the field and the answer at once."""
        self.arrival_text = day.isoformat()
        self.choose(arrival_date=day)

    def set_child_form(self, **changes: object) -> None:
        self.child = replace(self.child, **changes)
        self.error = None

    def add_child(self) -> bool:
        """Add the child being typed; False (with an error code) when its birth date is missing or
        invalid. An empty label is fine: the child is shown as "Child 2" in any language."""
        form = self.child
        if form.birth_year is None or form.birth_month is None:
            self.error = "child_incomplete"
            return False
        child = Child.new(form.label.strip(), form.birth_year, form.birth_month)
        try:
            validate_child(child, self.runtime.today)
        except ProfileError as exc:
            self.error = exc.code
            return False
        self.draft = self.draft.with_changes(children=(*self.draft.children, child))
        self.child = ChildForm()
        self.error = None
        return True

    def remove_child(self, child_id: str) -> None:
        self.draft = self.draft.with_changes(
            children=tuple(c for c in self.draft.children if c.id != child_id)
        )

    # --- moving through the questions ------------------------------------------------------------

    def next_question(self, language: str) -> bool:
        """Take what was typed on this question, then go on (or finish on the last one). False
        when what was typed cannot be taken: the error says why and nothing moves."""
        if self.question == "arrival" and not self._take_arrival_text():
            return False
        if self.question == "children" and self.child.started and not self.add_child():
            return False
        self.error = None
        if self.last_question:
            return self.finish(language)
        self.wizard_step += 1
        return True

    def previous_question(self) -> None:
        self.error = None
        self.wizard_step = max(0, self.wizard_step - 1)

    def _take_arrival_text(self) -> bool:
        text = self.arrival_text.strip()
        if not text:
            self.choose(arrival_date=None)
            return True
        try:
            day = parse_day(text)
        except InputError:
            self.error = "arrival_date_format"
            return False
        self.choose(arrival_date=day)
        return self.error is None

    def finish(self, language: str) -> bool:
        """Save the answers. Statuses are kept: the timeline is recomputed around them."""
        if not self.save(self.draft.with_changes(language=language)):
            return False
        self.runtime.edited()
        self.editing = False
        self.wizard_step = 0
        self.nav.go("/steps")
        return True

    def edit(self) -> None:
        """Open the wizard on the current answers (Settings → Change your answers)."""
        if self.profile is not None:
            self.draft = self.profile
            self.arrival_text = self.profile.arrival_date.isoformat() if self.profile.arrival_date else ""
        self.child = ChildForm()
        self.wizard_step = 1
        self.editing = True

    def cancel_edit(self) -> None:
        self.editing = False
        self.error = None

    def save(self, profile: Profile) -> bool:
        assert self.runtime.store is not None
        try:
            self.runtime.store.save_profile(profile)
        except StoreError as exc:
            self.error = exc.code
            return False
        self.profile = profile
        self.error = None
        return True
