"""The family's link to the employer's relocation case (Nordhub): joining with the employer's
code, choosing milestone by milestone what the employer sees, and unlinking."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import flet as ft

from app.state.navigation import Navigation
from app.state.runtime import Runtime, call_server
from services.i18n import N_

CACHE_KEY = "employer_case"  # the last known case, shown offline


@ft.observable
@dataclass
class EmployerCaseState:
    """What the Family tab's "Your employer" section shows."""

    runtime: Runtime = field(repr=False)
    nav: Navigation = field(repr=False)
    case: dict | None = None  # employer, role, start date, consents (as the server last said)
    error: str | None = None  # a code from views/messages.py
    busy: bool = False
    pending_code: str = ""  # from a case link that opened the app, shown in the code field
    # First run with the employer's code: what the case pre-fills (the newcomer confirms every
    # answer; the family is linked when the questions are done).
    entering_code: bool = False
    prefill: dict | None = None
    # Set by AppState: make sure the phone shares with a household (a case links a household).
    _ensure_household: Callable[[], Awaitable[bool]] | None = field(default=None, repr=False)

    def load(self) -> None:
        store = self.runtime.store
        assert store is not None
        self.case = json.loads(store.get_meta(CACHE_KEY) or "null")

    def _keep(self, case: dict[str, Any] | None) -> None:
        self.case = case
        if self.runtime.store is not None:
            if case is None:
                self.runtime.store.delete_meta(CACHE_KEY)
            else:
                self.runtime.store.set_meta(CACHE_KEY, json.dumps(case, default=str))

    async def refresh(self) -> None:
        """The case as the server knows it now (quietly: offline keeps the cached copy)."""
        answer = await call_server(self, self.runtime.employer().my_case)
        if self.error is None:
            self._keep(answer)
        elif self.error == "offline":
            self.error = None

    async def join(self, code: str) -> None:
        """Link the family to the employer's case (starting to share first if needed)."""
        self.nav.clear_notice()
        if not code.strip():
            self.error = "not_a_code"
            return
        if self._ensure_household is not None and not await self._ensure_household():
            return
        case = await call_server(self, self.runtime.employer().join_case, code.strip())
        if case is not None:
            self._keep(case)
            self.nav.say(N_("Linked to your employer. They see nothing until you choose below."))

    async def save_consents(self, milestones: list[str]) -> None:
        case = await call_server(self, self.runtime.employer().set_consents, milestones)
        if case is not None:
            self._keep(case)
            self.nav.say(N_("Saved. Your employer sees only what you ticked."))

    async def leave(self) -> None:
        await call_server(self, self.runtime.employer().leave_case)
        if self.error is None:
            self._keep(None)
            self.nav.say(N_("Your employer no longer sees anything about your family."))

    def start_code_entry(self, code: str = "") -> None:
        """First run: 'I have a code from my employer' before the questions."""
        self.entering_code, self.error = True, None
        self.pending_code = code or self.pending_code

    def stop_code_entry(self) -> None:
        self.entering_code, self.error = False, None

    async def preview(self, code: str) -> dict | None:
        """What the case pre-fills; the code stays unused until the questions are done."""
        if not code.strip():
            self.error = "not_a_code"
            return None
        found = await call_server(self, self.runtime.employer().preview_case, code.strip())
        if found is not None:
            self.prefill, self.pending_code, self.entering_code = found, code.strip(), False
        return found

    async def join_after_questions(self) -> None:
        """The questions are answered: link the family to the case the answers came from."""
        code = self.pending_code
        await self.join(code)
        if self.case is not None:
            self.prefill, self.pending_code = None, ""
            self.nav.go("/family")

    def offer_code(self, code: str) -> None:
        """A case link opened the app: the code waits in the field for the person to link."""
        self.pending_code = code

    def forget(self) -> None:
        """The phone left its household: the case link went with it."""
        self._keep(None)
