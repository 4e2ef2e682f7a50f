"""Superhost use cases on the app state: find a host and ask for a visit, host mode, the inbox,
and the coordinator's work. Mixed into AppState (which holds the fields); every server call runs
off the UI thread and a failure becomes a translated message, never a crash.

What the Hosts tab shows is cached on the phone (store meta `superhost`), so it reads offline."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from services.i18n import N_
from services.ics import visit_ics
from services.superhost_client import SuperhostClient
from services.sync_client import SyncError

log = logging.getLogger(__name__)

LOCAL_ZONE = ZoneInfo("Europe/Oslo")  # meeting times are typed and shown in Norwegian time
SECTIONS = ("find", "host", "coordinator")

# A failed Superhost action, by the server's (or client's) error code → what the user reads.
HOST_ERRORS = {
    "offline": N_("No connection to the server. What you see was saved earlier; try again when online."),
    "no_household": N_("Start family sharing first: hosts meet your household."),
    "no_seeker_profile": N_("Tell us a little about your family first."),
    "host_not_found": N_("This host is no longer available. Choose another one."),
    "no_shared_language": N_("This host does not speak any of your languages."),
    "too_many_pending": N_("You can have 3 requests waiting for an answer. Wait for one or cancel one."),
    "duplicate_request": N_("You already asked this host. Wait for the answer."),
    "time_in_past": N_("The meeting time must be in the future."),
    "time_too_far": N_("Choose a time within the next six months."),
    "time_and_place_required": N_("Give a date, a time and a public meeting place."),
    "not_public_place": N_("Meet at a public place such as a library or a café. No home addresses."),
    "place_too_long": N_("Describe the meeting place in at most 120 characters."),
    "invalid_transition": N_("This visit has changed meanwhile. Look at it again."),
    "not_yet": N_("You can mark the visit as done once its time has come."),
    "feedback_given": N_("You already left feedback for this visit."),
    "not_completed": N_("Feedback is for visits that took place."),
    "not_certified": N_("Hosts receive requests once a coordinator has certified them."),
    "not_a_host": N_("This phone has no host profile yet."),
    "enrolment_invalid": N_("This code does not work. Ask for a new one."),
    "already_coordinator": N_("This phone already belongs to a coordinator."),
    "not_coordinator": N_("Only a county service coordinator can do this."),
    "valid_too_long": N_("A certification is valid for at most 3 years."),
    "valid_until_past": N_("A certification must be valid after today."),
    "date_in_future": N_("The dates of the checks cannot be in the future."),
    "first_name_required": N_("Write a first name."),
    "unknown_municipality": N_("Choose your municipality first (Settings → Change your answers)."),
    "no_language": N_("Choose at least one language."),
    "rate_limited": N_("Too many tries. Wait a few minutes, then try again."),
    "bad_date": N_("Write the date as YYYY-MM-DD, for example 2027-01-15."),
    "bad_time": N_("Write the time as HH:MM, for example 15:30."),
    "unauthenticated": N_("This phone is no longer connected. Start again from the Family tab."),
    "removed": N_("This phone was removed from the family. The shared checklist was removed from it."),
}
HOST_ERROR_OTHER = N_("Something went wrong on the server. Try again later.")


def parse_local_datetime(day: str, clock: str) -> datetime:
    """'2027-01-15' + '15:30' in Norwegian time → an aware datetime; ValueError with a code."""
    try:
        the_day = date.fromisoformat(day.strip())
    except ValueError as exc:
        raise ValueError("bad_date") from exc
    try:
        hours, minutes = (int(part) for part in clock.strip().split(":"))
        the_time = time(hours, minutes)
    except ValueError as exc:
        raise ValueError("bad_time") from exc
    return datetime.combine(the_day, the_time, LOCAL_ZONE)


def parse_day(text: str) -> str:
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError as exc:
        raise ValueError("bad_date") from exc


class SuperhostActions:
    """Use cases of the Hosts tab. Relies on AppState's fields and its sync client."""

    # Fields live on AppState (a dataclass); declared here for type checkers only.
    hosts_section: str
    seeker: dict | None
    suggestions: dict | None
    visits: list[dict]
    host: dict | None
    host_requests: list[dict]
    is_coordinator: bool
    coordinator_hosts: list[dict]
    coordinator_reports: list[dict]
    last_round: dict | None
    inbox: list[dict]
    inbox_unread: int
    hosts_error: str | None
    hosts_busy: bool
    app_in_foreground: bool
    notice: str | None
    notice_arg: str
    household_id: str | None
    profile: Any
    store: Any
    data_dir: Path

    def superhost(self) -> SuperhostClient:
        return SuperhostClient(self.sync_client())  # type: ignore[attr-defined]

    # --- plumbing -------------------------------------------------------------------------------

    async def _host_call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """One call off the UI thread; a failure becomes a translated message and None."""
        self.hosts_busy, self.hosts_error = True, None
        try:
            return await asyncio.to_thread(fn, *args)
        except SyncError as exc:
            log.info("superhost: %s", exc.code)
            self.hosts_error = HOST_ERRORS.get(exc.code, HOST_ERROR_OTHER)
            return None
        finally:
            self.hosts_busy = False

    def _save_cache(self) -> None:
        if self.store is None:
            return
        cache = {
            "seeker": self.seeker,
            "suggestions": self.suggestions,
            "visits": self.visits,
            "host": self.host,
            "host_requests": self.host_requests,
            "inbox": self.inbox,
            "inbox_unread": self.inbox_unread,
            "is_coordinator": self.is_coordinator,
        }
        self.store.set_meta("superhost", json.dumps(cache, default=str))

    def load_superhost_cache(self) -> None:
        """What the Hosts tab showed last time, so that it reads offline."""
        raw = self.store.get_meta("superhost") if self.store is not None else None
        cache = json.loads(raw) if raw else {}
        self.seeker = cache.get("seeker")
        self.suggestions = cache.get("suggestions")
        self.visits = cache.get("visits") or []
        self.host = cache.get("host")
        self.host_requests = cache.get("host_requests") or []
        self.inbox = cache.get("inbox") or []
        self.inbox_unread = cache.get("inbox_unread") or 0
        self.is_coordinator = bool(cache.get("is_coordinator"))

    def forget_household_hosts(self) -> None:
        """The phone left its household: the family's host search and visits go with it."""
        self.seeker, self.suggestions, self.visits = None, None, []
        self.inbox = [m for m in self.inbox if m.get("to") == "host"]
        self.inbox_unread = sum(1 for m in self.inbox if not m.get("read"))
        self._save_cache()

    def select_hosts_section(self, section: str) -> None:
        if section in SECTIONS:
            self.hosts_section = section
            self.hosts_error = None

    # --- refresh --------------------------------------------------------------------------------

    def _fetch_hosts_tab(self) -> dict[str, Any]:
        """Everything the tab shows, in one trip off the UI thread (blocking; stops at the first
        network failure so that an offline phone is not kept waiting)."""
        client, found = self.superhost(), {}
        if self.household_id:
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

    async def refresh_hosts(self) -> None:
        """Fetch what the Hosts tab shows; offline, the cached copy stays on screen."""
        found = await self._host_call(self._fetch_hosts_tab)
        if found is None:
            return
        self.hosts_error = None
        if "suggestions" in found:
            self.suggestions = found["suggestions"]
            self.seeker = found["suggestions"]["seeker"] if found["suggestions"] else None
            self.visits = found["visits"]
        self.host = found["host"]
        self.host_requests = found.get("host_requests", [])
        self.coordinator_hosts = found.get("coordinator_hosts", self.coordinator_hosts)
        self.coordinator_reports = found.get("coordinator_reports", self.coordinator_reports)
        self.inbox = found["inbox"]["items"][-50:]
        self.inbox_unread = found["inbox"]["unread"]
        self._save_cache()

    async def watch_inbox(self, interval: float = 60.0, first_after: float = 2.0) -> None:
        """Keep the inbox badge current while the app is open (quietly: a failed poll changes
        nothing on screen and is tried again later)."""
        await asyncio.sleep(first_after)
        while True:
            if self.app_in_foreground and (self.household_id or self.host or self.is_coordinator):
                try:
                    box = await asyncio.to_thread(self.superhost().inbox)
                except SyncError as exc:
                    log.info("superhost: inbox poll failed (%s)", exc.code)
                else:
                    if box["unread"] != self.inbox_unread or box["items"][-50:] != self.inbox:
                        self.inbox, self.inbox_unread = box["items"][-50:], box["unread"]
                        self._save_cache()
            await asyncio.sleep(interval)

    async def mark_inbox_read(self) -> None:
        if self.inbox:
            await self._host_call(self.superhost().mark_read, max(m["id"] for m in self.inbox))
            for message in self.inbox:
                message["read"] = True
            self.inbox = list(self.inbox)
            self.inbox_unread = 0
            self._save_cache()

    # --- a family looking for a host ----------------------------------------------------------

    def seeker_defaults(self) -> dict[str, Any]:
        """What the timeline profile already knows: municipality, party size, children's ages."""
        profile = self.profile
        today = date.today()
        ages = []
        for child in getattr(profile, "children", ()) or ():
            months = (today.year - child.birth_year) * 12 + today.month - child.birth_month
            if 0 <= months // 12 <= 17:
                ages.append(months // 12)
        party = 1 + int(bool(getattr(profile, "partner", False))) + len(ages)
        return {
            "municipality": getattr(profile, "municipality", None),
            "party_size": party,
            "children_ages": ages,
        }

    async def save_seeker(self, first_name: str, languages: list[str], interests: list[str],
                          occupation: str, availability: int) -> None:  # fmt: skip
        """Save the family's matching profile, then show the hosts who fit."""
        defaults = self.seeker_defaults()
        if defaults["municipality"] is None:
            self.hosts_error = HOST_ERRORS["unknown_municipality"]
            return
        if not first_name.strip():
            self.hosts_error = HOST_ERRORS["first_name_required"]
            return
        if not languages:
            self.hosts_error = HOST_ERRORS["no_language"]
            return
        body = {
            "first_name": first_name.strip()[:40],
            "languages": languages,
            "interests": interests,
            "occupation": occupation.strip()[:60],
            "availability": availability,
            **defaults,
        }
        saved = await self._host_call(self.superhost().save_seeker, body)
        if saved is not None:
            self.seeker = saved
            self.hosts_error = None
            await self.refresh_hosts()

    def edit_seeker(self) -> None:
        self.seeker = None

    async def request_visit(self, host_id: str, message: str) -> None:
        visit = await self._host_call(self.superhost().request_visit, host_id, message.strip()[:500])
        if visit is not None:
            self.notice, self.notice_arg = N_("Your request was sent. You will see the answer here."), ""
            await self.refresh_hosts()

    async def visit_action(self, request_id: str, action: str, day: str = "", clock: str = "",
                           place: str = "", reason: str = "") -> None:  # fmt: skip
        """accept / propose (with date, time and place), decline, confirm, complete, cancel."""
        body: dict[str, Any] = {}
        if action in ("accept", "propose"):
            try:
                body["starts_at"] = parse_local_datetime(day, clock).isoformat()
            except ValueError as exc:
                self.hosts_error = HOST_ERRORS[str(exc)]
                return
            body["meeting_place"] = place.strip()
        if action == "decline" and reason.strip():
            body["reason"] = reason.strip()[:300]
        done = await self._host_call(self.superhost().act, request_id, action, body)
        if done is not None:
            self.hosts_error = None
            await self.refresh_hosts()

    async def leave_feedback(self, request_id: str, rating: int, comment: str) -> None:
        await self._host_call(self.superhost().feedback, request_id, rating, comment.strip()[:500])
        if self.hosts_error is None:
            self.notice, self.notice_arg = N_("Thank you for your feedback."), ""
            await self.refresh_hosts()

    async def report_visit(self, request_id: str, reason: str, text: str) -> None:
        await self._host_call(self.superhost().report, request_id, reason, text.strip()[:500])
        if self.hosts_error is None:
            self.notice, self.notice_arg = N_("Your report was sent to the county's coordinators."), ""

    async def block_visit(self, request_id: str) -> None:
        await self._host_call(self.superhost().block, request_id)
        if self.hosts_error is None:
            self.notice, self.notice_arg = N_("Blocked. You will not be matched with each other again."), ""
            await self.refresh_hosts()

    def save_calendar_file(self, visit: dict[str, Any], other_name: str) -> Path | None:
        """A confirmed visit as an .ics file on this phone (made here, so it works offline)."""
        if not visit.get("starts_at"):
            return None
        starts = datetime.fromisoformat(str(visit["starts_at"]).replace("Z", "+00:00"))
        text = visit_ics(
            visit["request_id"], starts, f"Ny i Nordland: {other_name}", visit.get("meeting_place") or "",
            "", datetime.now(UTC),
        )  # fmt: skip
        folder = self.data_dir / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"visit-{visit['request_id'][:8]}.ics"
        path.write_text(text, "utf-8")
        self.notice, self.notice_arg = N_("The visit was saved as a calendar file: {path}."), str(path)
        return path

    # --- host mode ------------------------------------------------------------------------------

    async def save_host_profile(self, profile: dict[str, Any]) -> None:
        if not profile.get("first_name", "").strip():
            self.hosts_error = HOST_ERRORS["first_name_required"]
            return
        if not profile.get("languages"):
            self.hosts_error = HOST_ERRORS["no_language"]
            return
        saved = await self._host_call(self.superhost().save_host_profile, profile)
        if saved is not None:
            self.host = saved
            self.hosts_error = None
            self.notice, self.notice_arg = N_("Your host profile is saved."), ""
            self._save_cache()

    # --- coordinators ---------------------------------------------------------------------------

    async def enrol_coordinator(self, code: str) -> None:
        result = await self._host_call(self.superhost().enrol_coordinator, code.strip())
        if result is not None:
            self.is_coordinator = True
            self.hosts_section = "coordinator"
            self.notice, self.notice_arg = N_("This phone now has the coordinator's tools."), ""
            await self.refresh_coordinator()
            self._save_cache()

    async def refresh_coordinator(self) -> None:
        client = self.superhost()
        hosts = await self._host_call(client.pending_hosts, "all")
        if hosts is not None:
            self.coordinator_hosts = hosts
        reports = await self._host_call(client.reports)
        if reports is not None:
            self.coordinator_reports = reports

    async def certify_host(self, host_id: str, facts: dict[str, str]) -> None:
        try:
            cleaned = {
                k: (parse_day(v) if k != "code_of_conduct_version" else v.strip()) for k, v in facts.items()
            }
        except ValueError as exc:
            self.hosts_error = HOST_ERRORS[str(exc)]
            return
        result = await self._host_call(self.superhost().certify, host_id, cleaned)
        if result is not None:
            self.hosts_error = None
            self.notice, self.notice_arg = N_("The host is certified."), ""
            await self.refresh_coordinator()

    async def suspend_host(self, host_id: str, reason: str) -> None:
        await self._host_call(self.superhost().suspend, host_id, reason.strip() or "—")
        if self.hosts_error is None:
            self.notice, self.notice_arg = N_("The host is suspended and no longer suggested."), ""
            await self.refresh_coordinator()

    async def report_handled(self, report_id: str) -> None:
        await self._host_call(self.superhost().report_handled, report_id)
        await self.refresh_coordinator()

    async def run_round(self) -> None:
        result = await self._host_call(self.superhost().run_round)
        if result is not None:
            self.last_round = result
