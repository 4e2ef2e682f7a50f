"""The app's state, by feature. `AppState` composes the feature observables (navigation, profile
and wizard, steps, family and sync, hosts and inbox, settings) and wires what crosses them; each
screen is given only the slices it shows, so a change re-renders only the screens that show it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import flet as ft

from app.state.employer import EmployerState
from app.state.employer_case import EmployerCaseState
from app.state.family import FamilyState
from app.state.hosts import HostsState
from app.state.navigation import Navigation
from app.state.profile import WIZARD_STEPS, ProfileState
from app.state.runtime import Runtime, call_server
from app.state.settings import SettingsState
from app.state.steps import StepsState
from services.i18n import N_
from services.languages import get_language
from services.store import StoreCorruptError, erase_local_data, open_store, start_fresh
from services.sync_scheduler import SyncScheduler, SyncStatus

__all__ = ["WIZARD_STEPS", "AppState"]


@ft.observable
@dataclass
class AppState:
    """The whole app: the slices, and the few facts that decide which screen is shown at all."""

    data_dir: Path
    today_fn: Callable[[], date] = date.today
    server_url: str = ""
    corrupt: bool = False  # the local database cannot be read: the recovery screen
    runtime: Runtime = field(init=False, repr=False)
    nav: Navigation = field(init=False)
    profile: ProfileState = field(init=False)
    steps: StepsState = field(init=False)
    family: FamilyState = field(init=False)
    employer_case: EmployerCaseState = field(init=False)
    employer: EmployerState = field(init=False)
    hosts: HostsState = field(init=False)
    settings: SettingsState = field(init=False)
    _tasks: set = field(default_factory=set, init=False, repr=False)

    def __post_init__(self) -> None:
        self.runtime = Runtime(self.data_dir, self.server_url, self.today_fn)
        self.nav = Navigation()
        self.profile = ProfileState(self.runtime, self.nav)
        self.steps = StepsState(self.runtime, self.nav)
        self.family = FamilyState(self.runtime, self.nav)
        self.employer_case = EmployerCaseState(self.runtime, self.nav)
        self.employer_case._ensure_household = self._ensure_household
        self.employer = EmployerState(self.runtime, self.nav)
        self.hosts = HostsState(self.runtime, self.nav)
        self.settings = SettingsState(self.runtime, self.profile)
        self.family._on_left = self._left_household
        self.family._on_joined = self._joined_household
        self.hosts._household = lambda: self.family.household_id
        self.hosts._profile = lambda: self.profile.profile

    # --- start-up -----------------------------------------------------------------------------

    def load(self, device_language: str | None = None) -> None:
        """Open the local database and read every slice; a damaged database shows recovery."""
        try:
            self.runtime.store = open_store(self.data_dir)
        except StoreCorruptError:
            self.corrupt = True
            self.settings.language = get_language(device_language).code
            return
        self.corrupt = False
        store = self.runtime.store
        no_profile = store.load_profile() is None
        self.nav.host_only = no_profile and store.get_meta("host_only") == "1"
        self.nav.employer_only = no_profile and store.get_meta("employer_only") == "1"
        self.profile.load(get_language(device_language).code)
        stored = self.profile.profile
        self.settings.language = (stored.language if stored else None) or get_language(device_language).code
        self.profile.draft = self.profile.draft.with_changes(language=self.settings.language)
        self.family.load()
        self.employer_case.load()
        self.employer.load()
        self.hosts.load()
        self.steps.reload()
        if self.nav.host_only:
            self.nav.route, self.hosts.section = "/hosts", "host"
        if self.nav.employer_only:
            self.nav.route = "/employer"

    @property
    def today(self) -> date:
        return self.runtime.today

    @property
    def language(self) -> str:
        return self.settings.language

    def start_host_mode(self) -> None:
        """First run for a local who wants to host: no newcomer questions, straight to host mode."""
        if self.runtime.store is not None:
            self.runtime.store.set_meta("host_only", "1")
        self.nav.host_only = True
        self.hosts.section = "host"
        self.nav.go("/hosts")

    def start_employer_mode(self) -> None:
        """First run for an employer's staff member: no newcomer questions, the Employer tab."""
        if self.runtime.store is not None:
            self.runtime.store.set_meta("employer_only", "1")
        self.nav.employer_only = True
        self.nav.go("/employer")

    def next_question(self) -> None:
        finished = self.profile.last_question and not self.profile.editing
        if not self.profile.next_question(self.settings.language):
            return
        if finished and self.employer_case.prefill is not None:  # the answers came from a case
            task = asyncio.get_running_loop().create_task(self.employer_case.join_after_questions())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def erase_everything(self) -> bool:
        """The person's right to erasure: first what the server holds (a failure, e.g. offline,
        changes nothing and says why), then everything on this phone; the app starts as new."""
        settings = self.settings
        if self.runtime.store is not None:
            erased = await call_server(settings, self.runtime.sync_client().erase_server_data)
            if erased is None:
                return False
        if self.runtime.scheduler is not None:
            await self.runtime.scheduler.stop_and_wait()  # no sync thread may still use the store
            self.runtime.scheduler = None
        if self.runtime.store is not None:
            self.runtime.store.close()
            self.runtime.store = None
        erase_local_data(self.data_dir)
        self.runtime.forget_client()
        # `load` reads every slice again from the new, empty database; only what it does not
        # read is reset here.
        self.profile.wizard_step, self.family.invite = 0, None
        hosts = self.hosts
        hosts.coordinator_hosts, hosts.coordinator_reports, hosts.coordinator_audit = [], [], []
        self.load(settings.language)
        self.start_sync()
        self.nav.go("/")
        self.nav.say(N_("All your data is deleted, on this phone and on the server."))
        return True

    def start_fresh(self) -> None:
        """Recovery: keep the damaged file aside and begin again with an empty database."""
        start_fresh(self.data_dir)
        self.runtime.forget_client()
        self.load(self.settings.language)

    # --- sync -------------------------------------------------------------------------------------

    def start_sync(self) -> None:
        """Begin syncing in the running event loop (at start, then on its schedule)."""
        runtime = self.runtime
        if runtime.store is None or runtime.scheduler is not None:
            return
        runtime.scheduler = SyncScheduler(
            client=lambda: runtime.sync_client() if self.family.household_id else None,
            pending=runtime.store.pending_count,
            on_status=self.on_sync_status,
        )
        runtime.scheduler.start()

    def app_lifecycle(self, foreground: bool) -> None:
        """Resume syncs at once and restarts the timer; the background stops it."""
        self.runtime.in_foreground = foreground
        if self.runtime.scheduler is not None:
            if foreground:
                self.runtime.scheduler.resume()
            else:
                self.runtime.scheduler.pause()

    def on_sync_status(self, status: SyncStatus) -> None:
        """A sync finished or changed state: show it, and show what it brought."""
        family = self.family
        family.sync_status = status
        if status.problem in ("removed", "unauthenticated"):
            family.left_household()
            family.error = status.problem
            return
        store = self.runtime.store
        if store is None:
            return
        if status.pulled or store.rejections() != self.steps.rejections:
            self.profile.profile = store.load_profile()
            self.steps.reload()
            if self.nav.joining and self.profile.profile is not None:
                self.nav.joining = False
        if status.pulled and family.invite is not None:  # was the invitation used?
            task = asyncio.get_running_loop().create_task(family.refresh())
            self._tasks.add(task)  # the loop keeps only a weak reference to a task
            task.add_done_callback(self._tasks.discard)

    def _joined_household(self) -> None:
        if self.nav.joining and self.profile.profile is not None:
            self.nav.joining = False

    async def _ensure_household(self) -> bool:
        """A phone that does not share yet starts sharing (an employer's case links a family)."""
        if not self.family.household_id:
            await self.family.create_household("")
            self.employer_case.error = self.family.error
        return bool(self.family.household_id)

    def _left_household(self) -> None:
        self.hosts.forget_household()
        self.employer_case.forget()
        self.profile.profile = self.runtime.store.load_profile() if self.runtime.store else None
        self.steps.reload()
