"""Employer mode (Nordhub) on a staff member's phone: register the organisation or join its staff
with a code, pre-register incoming employees and give them their code, follow each case's
consented milestones and the employer's own tasks, write to the newcomer, export the list."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import flet as ft

from app.state.navigation import Navigation
from app.state.runtime import Runtime, call_server
from services.i18n import N_
from services.org_number import is_valid_org_number

CACHE_KEY = "employer_mode"  # the organisation and its cases as last seen, shown offline
CACHED = ("employer", "cases")


@ft.observable
@dataclass
class EmployerState:
    """What the Employer tab shows."""

    runtime: Runtime = field(repr=False)
    nav: Navigation = field(repr=False)
    employer: dict | None = None  # organisation, my role, staff (GET /v1/employer)
    cases: list[dict] = field(default_factory=list)  # the dashboard rows
    error: str | None = None  # a code from views/messages.py
    busy: bool = False
    new_code: dict | None = None  # the code just made for a case: shown until dismissed
    staff_code: dict | None = None  # a colleague's code just made
    csv_text: str | None = None  # the exported list, offered as a download
    open_case: str | None = None  # the case whose details are unfolded
    adding: bool = False  # the new-case form is open

    def load(self) -> None:
        raw = self.runtime.store.get_meta(CACHE_KEY) if self.runtime.store is not None else None
        cache = json.loads(raw) if raw else {}
        self.employer = cache.get("employer")
        self.cases = cache.get("cases") or []

    def _save_cache(self) -> None:
        if self.runtime.store is not None:
            cache = {name: getattr(self, name) for name in CACHED}
            self.runtime.store.set_meta(CACHE_KEY, json.dumps(cache, default=str))

    async def _call(self, fn: Any, *args: Any) -> Any:
        self.nav.clear_notice()
        return await call_server(self, fn, *args)

    @property
    def is_staff(self) -> bool:
        return self.employer is not None

    @property
    def is_admin(self) -> bool:
        return bool(self.employer) and self.employer["me"]["role"] == "admin"

    @property
    def verified(self) -> bool:
        return bool(self.employer) and bool(self.employer["employer"]["verified"])

    async def refresh(self) -> None:
        """The organisation and its cases as the server knows them now (offline keeps the copy)."""
        client = self.runtime.employer_staff()
        found = await self._call(client.my_employer)
        if self.error == "offline":
            self.error = None
            return
        if self.error is not None:
            return
        self.employer = found
        if found is not None:
            cases = await self._call(client.cases)
            if cases is not None:
                self.cases = cases
        else:
            self.cases = []
        self._save_cache()

    async def register(self, org_number: str, name: str, municipality: int | None, staff_name: str) -> None:
        """Register the organisation with this phone's person as its first administrator."""
        if not is_valid_org_number(org_number):
            self.error = "invalid_org_number"
            return
        if not name.strip() or not staff_name.strip():
            self.error = "org_name_required"
            return
        if municipality is None:
            self.error = "municipality_outside"
            return
        client = self.runtime.employer_staff()
        if await self._call(client.register, org_number, name.strip(), municipality, staff_name.strip()):
            await self.refresh()
            self.nav.say(N_("Registered. The county coordinator verifies your organisation next."))

    async def join_staff(self, code: str, name: str) -> None:
        if not code.strip():
            self.error = "not_a_code"
            return
        if not name.strip():
            self.error = "staff_name_required"
            return
        if await self._call(self.runtime.employer_staff().join_staff, code.strip(), name.strip()):
            await self.refresh()
            self.nav.say(N_("You are now on your organisation's staff."))

    async def invite_staff(self, role: str) -> None:
        answer = await self._call(self.runtime.employer_staff().invite_staff, role)
        if answer is not None:
            self.staff_code = answer

    async def create_case(self, fields: dict[str, Any], today: date) -> bool:
        """Pre-register an incoming employee; their code is shown until dismissed."""
        problem = case_problem(fields, today)
        if problem:
            self.error = problem
            return False
        answer = await self._call(self.runtime.employer_staff().create_case, fields)
        if answer is None:
            return False
        self.new_code = {**answer, "first_name": fields["first_name"]}
        self.adding = False
        await self.refresh()
        return True

    async def renew_code(self, case_id: str, first_name: str) -> None:
        answer = await self._call(self.runtime.employer_staff().renew_code, case_id)
        if answer is not None:
            self.new_code = {**answer, "first_name": first_name}

    async def set_task(self, case_id: str, task_id: str, done: bool) -> None:
        if await self._call(self.runtime.employer_staff().set_task, case_id, task_id, done) is not None:
            for case in self.cases:  # at once on screen; the next refresh brings the server's view
                if case["case_id"] == case_id:
                    for task in case["tasks"]:
                        if task["id"] == task_id:
                            task["done"], task["overdue"] = done, False if done else task["overdue"]
                    case["overdue_tasks"] = sum(t["overdue"] for t in case["tasks"])
            self.cases = list(self.cases)
            self._save_cache()

    async def send_message(self, case_id: str, template: str, note: str) -> bool:
        client = self.runtime.employer_staff()
        if await self._call(client.send_message, case_id, template, note) is None:
            return False
        self.nav.say(N_("Sent. It is in their inbox, in their language."))
        return True

    async def export_csv(self) -> None:
        text = await self._call(self.runtime.employer_staff().cases_csv)
        if text is not None:
            self.csv_text = text

    def toggle_case(self, case_id: str) -> None:
        self.open_case = None if self.open_case == case_id else case_id

    def show_form(self, shown: bool) -> None:
        self.adding, self.error = shown, None

    def dismiss_code(self) -> None:
        self.new_code = None
        self.staff_code = None


def case_problem(fields: dict[str, Any], today: date) -> str | None:
    """What is wrong with a new case before it is sent (the server checks again)."""
    if not str(fields.get("first_name", "")).strip() or not str(fields.get("role_title", "")).strip():
        return "case_name_required"
    start = fields.get("start_date")
    if not isinstance(start, str):
        return "arrival_date_format"
    try:
        when = date.fromisoformat(start)
    except ValueError:
        return "arrival_date_format"
    if when < today:
        return "start_date_past"
    if fields.get("municipality") is None:
        return "municipality_outside"
    return None
