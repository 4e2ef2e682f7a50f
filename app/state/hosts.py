"""Superhost and the inbox: find a host and ask for a visit, host mode, and the coordinator's work.
Every server call runs off the UI thread and a failure becomes an error code, never a crash.

What the Hosts tab shows is cached on the phone (store meta `superhost`), so it reads offline."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import flet as ft

from app.state.navigation import Navigation
from app.state.runtime import Runtime, SyncError, call_server, off_ui_thread
from services.dates import InputError, local_datetime, parse_day, parse_timestamp
from services.i18n import N_
from services.ics import visit_ics
from services.profile import Profile

log = logging.getLogger(__name__)

SECTIONS = ("find", "host", "coordinator")
CACHED = (
    "seeker",
    "suggestions",
    "visits",
    "host",
    "host_requests",
    "inbox",
    "inbox_unread",
    "is_coordinator",
)
VISIT_NOTICES = {
    "accept": N_("Your answer was sent to the family."),
    "propose": N_("Your answer was sent to the family."),
    "decline": N_("The request was declined."),
    "confirm": N_("The visit is confirmed."),
    "complete": N_("The visit is marked as done."),
    "cancel": N_("The visit was cancelled."),
}


def parse_ages(text: str) -> list[int]:
    """'4, 9' → [4, 9]; InputError('bad_ages') for anything that is not a whole number 0–17."""
    try:
        ages = [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
    except ValueError as exc:
        raise InputError("bad_ages") from exc
    if any(not 0 <= age <= 17 for age in ages):
        raise InputError("bad_ages")
    return ages


@ft.observable
@dataclass
class HostsState:
    """What the Hosts tab shows, for a family, a host and a coordinator, plus the inbox."""

    runtime: Runtime = field(repr=False)
    nav: Navigation = field(repr=False)
    section: str = "find"
    seeker: dict | None = None
    suggestions: dict | None = None
    visits: list[dict] = field(default_factory=list)
    host: dict | None = None
    host_requests: list[dict] = field(default_factory=list)
    is_coordinator: bool = False
    coordinator_hosts: list[dict] = field(default_factory=list)
    coordinator_reports: list[dict] = field(default_factory=list)
    coordinator_audit: list[dict] = field(default_factory=list)  # what coordinators did, newest first
    last_round: dict | None = None
    inbox: list[dict] = field(default_factory=list)
    inbox_unread: int = 0
    error: str | None = None  # a code from views/messages.py
    busy: bool = False
    # Read from the family's state (AppState wires them): the household and the profile.
    _household: Callable[[], str | None] = field(default=lambda: None, repr=False)
    _profile: Callable[[], Profile | None] = field(default=lambda: None, repr=False)

    # --- plumbing ----------------------------------------------------------------------------------

    async def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """One call off the UI thread (`call_server`). A new action replaces the confirmation of
        the one before."""
        self.nav.clear_notice()
        return await call_server(self, fn, *args)

    def _save_cache(self) -> None:
        if self.runtime.store is not None:
            cache = {name: getattr(self, name) for name in CACHED}
            self.runtime.store.set_meta("superhost", json.dumps(cache, default=str))

    def load(self) -> None:
        """What the Hosts tab showed last time, so that it reads offline."""
        raw = self.runtime.store.get_meta("superhost") if self.runtime.store is not None else None
        cache = json.loads(raw) if raw else {}
        self.seeker = cache.get("seeker")
        self.suggestions = cache.get("suggestions")
        self.visits = cache.get("visits") or []
        self.host = cache.get("host")
        self.host_requests = cache.get("host_requests") or []
        self.inbox = cache.get("inbox") or []
        self.inbox_unread = cache.get("inbox_unread") or 0
        self.is_coordinator = bool(cache.get("is_coordinator"))

    def forget_household(self) -> None:
        """The phone left its household: the family's host search and visits go with it."""
        self.seeker, self.suggestions, self.visits = None, None, []
        self.inbox = [m for m in self.inbox if m.get("to") == "host"]
        self.inbox_unread = sum(1 for m in self.inbox if not m.get("read"))
        self._save_cache()

    def select_section(self, section: str) -> None:
        if section in SECTIONS:
            self.section = section
            self.error = None

    # --- refresh ----------------------------------------------------------------------------------

    def _fetch_tab(self) -> dict[str, Any]:
        """Everything the tab shows, in one trip off the UI thread (blocking; stops at the first
        network failure so that an offline phone is not kept waiting)."""
        client, found = self.runtime.superhost(), {}
        if self._household():
            try:
                found["suggestions"] = client.suggestions()
            except SyncError as exc:
                if exc.code != "no_seeker_profile":
                    raise
                found["suggestions"] = None
            found["visits"] = client.visits()
        try:
            found["host"] = client.host_profile()
        except SyncError as exc:
            if exc.code != "not_a_host":
                raise
            found["host"] = None
        if found["host"] and found["host"].get("status") == "certified":
            found["host_requests"] = client.host_requests()
        if self.is_coordinator:
            found["coordinator_hosts"] = client.pending_hosts("all")
            found["coordinator_reports"] = client.reports()
        found["inbox"] = client.inbox()
        return found

    async def refresh(self) -> None:
        """Fetch what the Hosts tab shows; offline, the cached copy stays on screen."""
        self.busy, self.error = True, None
        try:
            found = await off_ui_thread(self._fetch_tab)
        except SyncError as exc:
            self.error = exc.code
            return
        finally:
            self.busy = False
        if "suggestions" in found:
            self.suggestions = found["suggestions"]
            self.seeker = found["suggestions"]["seeker"] if found["suggestions"] else None
            self.visits = found["visits"]
        self.host = found["host"]
        self.host_requests = found.get("host_requests", [])
        self.coordinator_hosts = found.get("coordinator_hosts", self.coordinator_hosts)
        self.coordinator_reports = found.get("coordinator_reports", self.coordinator_reports)
        self._take_inbox(found["inbox"])

    async def refresh_inbox(self) -> None:
        """Only the inbox (the Family tab shows the employer's messages); quiet when offline."""
        try:
            box = await off_ui_thread(self.runtime.superhost().inbox)
        except SyncError as exc:
            log.info("superhost: inbox fetch failed (%s)", exc.code)
            return
        self._take_inbox(box)

    def _take_inbox(self, box: dict[str, Any]) -> None:
        self.inbox, self.inbox_unread = box["items"][-50:], box["unread"]
        self._save_cache()

    async def watch_inbox(
        self, interval: float = 60.0, first_after: float = 2.0, waiting: float = 10.0
    ) -> None:
        """Keep the inbox badge current while the app is open (quietly: a failed poll changes
        nothing on screen and is tried again later). New messages refresh the tab's contents.
        While the Hosts tab is open and someone owes this phone an answer, it looks every
        `waiting` seconds instead, so that an accepted visit shows soon."""
        await asyncio.sleep(first_after)
        while True:
            if self.runtime.in_foreground and (self._household() or self.host or self.is_coordinator):
                try:
                    box = await off_ui_thread(self.runtime.superhost().inbox)
                except SyncError as exc:
                    log.info("superhost: inbox poll failed (%s)", exc.code)
                else:
                    if box["unread"] != self.inbox_unread or box["items"][-50:] != self.inbox:
                        news = box["unread"] > self.inbox_unread
                        self._take_inbox(box)
                        if news and self.nav.tab == "hosts":
                            self.nav.clear_notice()  # what it confirmed may have changed since
                            await self.refresh()
            await asyncio.sleep(waiting if self.nav.tab == "hosts" and self.awaiting_answer else interval)

    @property
    def awaiting_answer(self) -> bool:
        """A visit request or a proposed time waits for the other side."""
        return any(
            v.get("state") in ("requested", "proposed", "accepted")
            for v in [*self.visits, *self.host_requests]
        )

    async def mark_inbox_read(self) -> None:
        if self.inbox:
            await self._call(self.runtime.superhost().mark_read, max(m["id"] for m in self.inbox))
            for message in self.inbox:
                message["read"] = True
            self.inbox = list(self.inbox)
            self.inbox_unread = 0
            self._save_cache()

    # --- a family looking for a host ------------------------------------------------------------

    def seeker_defaults(self) -> dict[str, Any]:
        """What the timeline profile already knows: municipality, party size, children's ages."""
        profile = self._profile()
        today = self.runtime.today
        ages = []
        for child in profile.children if profile else ():
            months = (today.year - child.birth_year) * 12 + today.month - child.birth_month
            if 0 <= months // 12 <= 17:
                ages.append(months // 12)
        party = 1 + int(bool(profile and profile.partner)) + len(ages)
        return {
            "municipality": profile.municipality if profile else None,
            "party_size": party,
            "children_ages": ages,
        }

    async def save_seeker(self, first_name: str, languages: list[str], interests: list[str],
                          occupation: str, availability: int, consent: bool) -> None:  # fmt: skip
        """Save the family's matching profile (with the person's consent), then show the hosts
        who fit."""
        defaults = self.seeker_defaults()
        for code, missing in (
            ("unknown_municipality", defaults["municipality"] is None),
            ("first_name_required", not first_name.strip()),
            ("no_language", not languages),
            ("consent_required", not consent),
        ):
            if missing:
                self.error = code
                return
        body = {
            "first_name": first_name.strip()[:40],
            "languages": languages,
            "interests": interests,
            "occupation": occupation.strip()[:60],
            "availability": availability,
            "consent": True,
            **defaults,
        }
        saved = await self._call(self.runtime.superhost().save_seeker, body)
        if saved is not None:
            self.seeker = saved
            await self.refresh()

    def edit_seeker(self) -> None:
        self.seeker = None

    async def withdraw_seeker(self) -> None:
        """Stop looking for a host: the family's matching profile is deleted on the server."""
        if await self._call(self.runtime.superhost().withdraw_seeker) is None and self.error:
            return
        self.seeker, self.suggestions = None, None
        self._save_cache()
        self.nav.say(N_("Your family's host profile is deleted. Hosts no longer see it."))

    async def request_visit(self, host_id: str, message: str) -> bool:
        visit = await self._call(self.runtime.superhost().request_visit, host_id, message.strip()[:500])
        if visit is None:
            return False
        await self.refresh()
        self.nav.say(N_("Your request was sent. You will see the answer here."))
        return True

    async def visit_action(self, request_id: str, action: str, day: str = "", clock: str = "",
                           place: str = "", reason: str = "") -> bool:  # fmt: skip
        """accept / propose (with date, time and place), decline, confirm, complete, cancel."""
        body: dict[str, Any] = {}
        if action in ("accept", "propose"):
            try:
                body["starts_at"] = local_datetime(day, clock).isoformat()
            except InputError as exc:
                self.error = exc.code
                return False
            body["meeting_place"] = place.strip()
        if action == "decline" and reason.strip():
            body["reason"] = reason.strip()[:300]
        done = await self._call(self.runtime.superhost().act, request_id, action, body)
        if done is None:
            return False
        await self.refresh()
        self.nav.say(VISIT_NOTICES[action])
        return True

    async def leave_feedback(self, request_id: str, rating: int, comment: str) -> None:
        await self._call(self.runtime.superhost().feedback, request_id, rating, comment.strip()[:500])
        if self.error:
            return
        await self.refresh()
        self.nav.say(N_("Thank you for your feedback."))

    async def report_visit(self, request_id: str, reason: str, text: str) -> bool:
        await self._call(self.runtime.superhost().report, request_id, reason, text.strip()[:500])
        if self.error:
            return False
        self.nav.say(N_("Your report was sent to the county's coordinators."))
        return True

    async def block_visit(self, request_id: str) -> None:
        await self._call(self.runtime.superhost().block, request_id)
        if self.error:
            return
        await self.refresh()
        self.nav.say(N_("Blocked. You will not be matched with each other again."))

    @staticmethod
    def calendar_file(visit: dict[str, Any], other_name: str) -> tuple[str, bytes]:
        """A confirmed visit as an .ics file (made on the phone, so it works offline)."""
        text = visit_ics(
            visit["request_id"], parse_timestamp(visit["starts_at"]), f"Ny i Nordland: {other_name}",
            visit.get("meeting_place") or "", "", datetime.now(UTC),
        )  # fmt: skip
        return f"visit-{visit['request_id'][:8]}.ics", text.encode()

    # --- host mode --------------------------------------------------------------------------------

    async def save_host_profile(self, profile: dict[str, Any], children_ages: str) -> bool:
        try:
            ages = parse_ages(children_ages)
        except InputError as exc:
            self.error = exc.code
            return False
        if not profile.get("first_name", "").strip():
            self.error = "first_name_required"
            return False
        if not profile.get("languages"):
            self.error = "no_language"
            return False
        if profile.get("consent") is not True:
            self.error = "consent_required"
            return False
        saved = await self._call(
            self.runtime.superhost().save_host_profile, {**profile, "children_ages": ages}
        )
        if saved is None:
            return False
        self.host = saved
        self.nav.say(N_("Your host profile is saved."))
        self._save_cache()
        return True

    async def withdraw_host(self) -> None:
        """Stop being a host: the host profile's details are erased on the server."""
        if await self._call(self.runtime.superhost().withdraw_host) is None and self.error:
            return
        self.host, self.host_requests = None, []
        self._save_cache()
        self.nav.say(N_("Your host profile is deleted. Families no longer see it."))

    # --- coordinators -----------------------------------------------------------------------------

    async def enrol_coordinator(self, code: str) -> None:
        if await self._call(self.runtime.superhost().enrol_coordinator, code.strip()) is None:
            return
        self.is_coordinator = True
        self.section = "coordinator"
        await self.refresh_coordinator()
        self._save_cache()
        self.nav.say(N_("This phone now has the coordinator's tools."))

    async def refresh_coordinator(self) -> None:
        client = self.runtime.superhost()
        hosts = await self._call(client.pending_hosts, "all")
        if hosts is not None:
            self.coordinator_hosts = hosts
        reports = await self._call(client.reports)
        if reports is not None:
            self.coordinator_reports = reports
        audit = await self._call(client.audit)
        if audit is not None:
            self.coordinator_audit = audit

    async def certify_host(self, host_id: str, facts: dict[str, str]) -> None:
        try:
            cleaned = {
                k: (parse_day(v).isoformat() if k != "code_of_conduct_version" else v.strip())
                for k, v in facts.items()
            }
        except InputError as exc:
            self.error = exc.code
            return
        if await self._call(self.runtime.superhost().certify, host_id, cleaned) is None:
            return
        await self.refresh_coordinator()
        self.nav.say(N_("The host is certified."))

    async def suspend_host(self, host_id: str, reason: str) -> None:
        await self._call(self.runtime.superhost().suspend, host_id, reason.strip() or "—")
        if self.error:
            return
        await self.refresh_coordinator()
        self.nav.say(N_("The host is suspended and no longer suggested."))

    async def report_handled(self, report_id: str) -> None:
        await self._call(self.runtime.superhost().report_handled, report_id)
        await self.refresh_coordinator()

    async def run_round(self) -> None:
        result = await self._call(self.runtime.superhost().run_round)
        if result is not None:
            self.last_round = result
