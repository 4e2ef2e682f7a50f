"""App-wide observable state: the one place views call to change anything."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import flet as ft
import httpx

from app.superhost_actions import SuperhostActions
from services.catalog import load_catalog
from services.i18n import N_
from services.invite_link import code_from_text
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
from services.sync_client import StoreTokenStore, SyncClient, SyncError
from services.sync_scheduler import NOT_SET_UP, SyncScheduler, SyncStatus
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
TABS = ("timeline", "family", "hosts", "settings")
MAX_NAME_LENGTH = 40

# What a failed family action means for the user, by the server's (or client's) error code.
FAMILY_ERRORS = {
    "offline": N_("No connection to the family server. Try again when you are online."),
    "invite_invalid": N_("This code does not work. It may be mistyped, used or expired: ask for a new one."),
    "rate_limited": N_("Too many tries. Wait a few minutes, then try again."),
    "too_many_invites": N_("There are already 5 open invitations. Wait until one is used or expires."),
    "already_in_household": N_("This phone is already part of a family."),
    "removed": N_("This phone was removed from the family. The shared checklist was removed from it."),
    "unauthenticated": N_("This phone is no longer connected to the family. Join again with a new code."),
    "unsupported_protocol": N_("Update the app to keep sharing with your family."),
    "owner_only": N_("Only the person who started the family can do this."),
}
FAMILY_ERROR_OTHER = N_("Something went wrong with the family server. Try again later.")


@ft.observable
@dataclass
class AppState(SuperhostActions):
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
    # family sharing and sync (issue #3)
    sync_status: SyncStatus = field(default_factory=lambda: SyncStatus(NOT_SET_UP))
    household_id: str | None = None
    member_id: str | None = None
    family: dict | None = None  # members and devices, as the server last described them
    invite: dict | None = None  # the invitation on screen (code, link, expiry)
    family_error: str | None = None
    busy: bool = False
    join_code: str = ""  # typed, or filled in from an invitation link
    joining: bool = False  # the first-run screen shows "join my family" instead of the wizard
    assignees: dict[str, str] = field(default_factory=dict)  # item key → member id
    authors: dict[str, tuple[str, int]] = field(default_factory=dict)  # item key → (name, epoch ms)
    rejections: list[dict] = field(default_factory=list)  # changes the server refused, undone here
    server_url: str = ""
    # Superhost (issue #4): what the Hosts tab shows, cached on the phone for offline reading
    hosts_section: str = "find"
    host_only: bool = False  # a local host without a newcomer timeline: Hosts and Settings only
    seeker: dict | None = None
    suggestions: dict | None = None
    visits: list[dict] = field(default_factory=list)
    host: dict | None = None
    host_requests: list[dict] = field(default_factory=list)
    is_coordinator: bool = False
    coordinator_hosts: list[dict] = field(default_factory=list)
    coordinator_reports: list[dict] = field(default_factory=list)
    last_round: dict | None = None
    inbox: list[dict] = field(default_factory=list)
    inbox_unread: int = 0
    hosts_error: str | None = None
    hosts_busy: bool = False
    app_in_foreground: bool = True
    scheduler: SyncScheduler | None = None
    _client: SyncClient | None = None

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
        self.rejections = self.store.rejections()
        self.household_id = self.store.get_meta("household_id")
        self.member_id = self.store.get_meta("member_id")
        self.family = json.loads(self.store.get_meta("family") or "null")  # last known, for offline
        self.load_superhost_cache()
        self.host_only = self.profile is None and self.store.get_meta("host_only") == "1"
        if self.host_only:
            self.tab, self.hosts_section = "hosts", "host"
        self._reload_steps()

    def _reload_steps(self) -> None:
        assert self.store is not None
        self.statuses = self.store.statuses()
        self.notes = self.store.notes()
        self.assignees = self.store.assignees()
        names = self.store.device_names()
        self.authors = {
            key: (names[stamp.device], stamp.wall_ms)
            for key, stamp in self.store.status_stamps().items()
            if names.get(stamp.device)
        }

    @property
    def lang(self) -> Language:
        return get_language(self.language)

    @property
    def today(self) -> date:
        return self.today_fn()

    @property
    def needs_wizard(self) -> bool:
        return (self.profile is None and not self.host_only) or self.editing_profile

    def start_host_mode(self) -> None:
        """First run for a local who wants to host: no newcomer questions, straight to host mode."""
        self.host_only = True
        if self.store is not None:
            self.store.set_meta("host_only", "1")
        self.tab, self.hosts_section = "hosts", "host"

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
            self._edited()
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
        self._reload_steps()
        self._edited()
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
        self._edited()
        self.notice = N_("Note saved on this phone.")

    def assign_step(self, item_key: str, member_id: str) -> None:
        """Say who in the family does this step ('' for nobody yet)."""
        assert self.store is not None
        try:
            self.store.assign_step(item_key, member_id)
        except InvalidInputError as exc:
            self.error = exc.message
            return
        self.error = None
        self.assignees = self.store.assignees()
        self._edited()
        self.notice = N_("Saved on this phone.")

    def _edited(self) -> None:
        if self.scheduler is not None:
            self.scheduler.local_edit()

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

    # --- family sharing and sync ----------------------------------------------------------------

    def sync_client(self) -> SyncClient:
        """This phone's connection to the family server (made on first use)."""
        assert self.store is not None
        if self._client is None:
            http = httpx.Client(base_url=self.server_url, timeout=httpx.Timeout(10.0, connect=5.0))
            self._client = SyncClient(self.store, http, StoreTokenStore(self.store), max_attempts=3)
        return self._client

    def start_sync(self) -> None:
        """Begin syncing in the running event loop (at start, then on its schedule)."""
        if self.store is None or self.scheduler is not None:
            return
        self.scheduler = SyncScheduler(
            client=lambda: self.sync_client() if self.household_id else None,
            pending=self.store.pending_count,
            on_status=self.on_sync_status,
        )
        self.scheduler.start()

    def app_lifecycle(self, foreground: bool) -> None:
        """Resume syncs at once and restarts the timer; the background stops it."""
        self.app_in_foreground = foreground
        if self.scheduler is not None:
            if foreground:
                self.scheduler.resume()
            else:
                self.scheduler.pause()

    def sync_now(self) -> None:
        """'Try again' on the sync status line."""
        if self.scheduler is not None:
            self.scheduler.sync_soon()

    def on_sync_status(self, status: SyncStatus) -> None:
        """A sync finished or changed state: show it, and show what it brought."""
        self.sync_status = status
        if status.problem in ("removed", "unauthenticated"):
            self._left_household()
            self.family_error = FAMILY_ERRORS[status.problem]
            return
        if self.store is None:
            return
        rejections = self.store.rejections()
        if status.pulled or rejections != self.rejections:
            self.profile = self.store.load_profile()
            self._reload_steps()
            self.rejections = rejections
            if self.joining and self.profile is not None:
                self.joining = False

    def dismiss_rejections(self) -> None:
        """The user has read which changes were undone."""
        if self.store is not None:
            self.store.clear_rejections()
        self.rejections = []

    async def _call(self, fn: Callable[..., object], *args: object) -> object | None:
        """Run one server call off the UI thread; a failure becomes a translated message."""
        self.busy, self.family_error = True, None
        try:
            return await asyncio.to_thread(fn, *args)
        except SyncError as exc:
            self.family_error = FAMILY_ERRORS.get(exc.code, FAMILY_ERROR_OTHER)
            if exc.code in ("removed", "unauthenticated"):
                self._left_household()
            return None
        finally:
            self.busy = False

    def _valid_name(self, name: str) -> str | None:
        name = name.strip()
        if len(name) > MAX_NAME_LENGTH:
            self.family_error = N_("The name is too long (at most 40 characters).")
            return None
        return name

    def _joined(self, result: dict) -> None:
        assert self.store is not None
        self.store.set_meta("household_id", result["household_id"])
        self.store.set_meta("member_id", result["member_id"])
        self.household_id, self.member_id = result["household_id"], result["member_id"]

    async def create_household(self, name: str) -> None:
        """Start sharing: this phone's checklist becomes the family's, and this person its owner."""
        assert self.store is not None
        name = self._valid_name(name)
        if name is None:
            return
        result = await self._call(self.sync_client().create_household, name)
        if result:
            self._joined(result)
            self.store.share_profile()
            self.store.set_device_name(name)
            self.notice = N_("Family sharing is on. Invite your family with a code.")
            if self.scheduler is not None:
                self.scheduler.sync_soon()
            await self.refresh_family()

    def set_join_code(self, code: str) -> None:
        self.join_code = code

    def start_joining(self, code: str = "") -> None:
        """First run: 'I have a code from my family' instead of answering the questions."""
        self.joining = True
        self.join_code = code or self.join_code
        self.family_error = None

    def stop_joining(self) -> None:
        self.joining = False
        self.family_error = None

    async def join_household(self, code: str, name: str) -> None:
        """Join with a typed code or a link; the family's checklist and profile come with the next sync."""
        assert self.store is not None
        if self.household_id:
            self.family_error = FAMILY_ERRORS["already_in_household"]
            return
        name = self._valid_name(name)
        if name is None:
            return
        parsed = code_from_text(code)
        if parsed is None:
            self.family_error = N_(
                "That is not an invitation code. A code has 12 letters and digits, like ABCD-EFGH-JKMN."
            )
            return
        result = await self._call(self.sync_client().join, parsed, name)
        if result:
            self.store.yield_profile_to_household()
            self._joined(result)
            self.store.set_device_name(name)
            self.join_code = ""
            self.notice = N_("You joined your family. Their checklist is on its way to this phone.")
            if self.scheduler is not None:
                await self.scheduler.sync_once()
            await self.refresh_family()

    async def refresh_family(self) -> None:
        if self.household_id:
            family = await self._call(self.sync_client().describe_household)
            if family and self.store is not None:
                self.family = family
                self.store.set_meta("family", json.dumps({"members": family["members"]}))

    async def make_invite(self) -> None:
        """A new single-use invitation: QR code, link and typed code, valid for 72 hours."""
        invite = await self._call(self.sync_client().create_invite)
        if invite:
            self.invite = invite

    async def remove_member(self, member_id: str) -> None:
        """Owner: remove someone (their phones drop the shared checklist on their next sync)."""
        await self._call(self.sync_client().remove_member, member_id)
        if self.family_error:
            return
        if member_id == self.member_id:
            self._left_household()
            self.notice = N_("You left the family. Your own answers stay on this phone.")
        else:
            await self.refresh_family()

    async def revoke_device(self, device_id: str) -> None:
        """Owner: a family member lost a phone; it stops syncing at once and wipes on contact."""
        await self._call(self.sync_client().revoke_device, device_id)
        if not self.family_error:
            self.notice = N_("That phone can no longer see the family's checklist.")
            await self.refresh_family()

    @property
    def this_device(self) -> str | None:
        return self.store.get_meta("server_device_id") if self.store else None

    async def leave_household(self) -> None:
        if self.member_id:
            await self.remove_member(self.member_id)

    def _left_household(self) -> None:
        assert self.store is not None
        self.store.wipe_household_data()
        for key in ("household_id", "member_id", "family"):
            self.store.delete_meta(key)
        self.household_id = self.member_id = None
        self.family = self.invite = None
        self.forget_household_hosts()
        self.sync_status = SyncStatus(NOT_SET_UP)
        self.profile = self.store.load_profile()
        self._reload_steps()

    def member_name(self, member_id: str) -> str:
        for member in (self.family or {}).get("members", []):
            if member["member_id"] == member_id:
                return member["display_name"]
        return ""
